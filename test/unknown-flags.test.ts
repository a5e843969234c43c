/** The misspelt-flag check (cli/unknown-flags.ts): distances and suggestions worked out by hand. */
import { editDistance, unknownFlag, type KnownOptions } from '../cli/unknown-flags';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps', () => {
    expect(editDistance('ouput', 'out')).toBe(2); // delete p, delete u
    expect(editDistance('targte', 'target')).toBe(1); // swap t and e
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, + g
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('unknownFlag', () => {
  // As yargs' getOptions() gives them: keys (aliases included), aliases, hidden names.
  const known: KnownOptions = {
    key: { help: true, version: true, out: true, target: true, verify: true, 'eval-tokens': true, tokens: true },
    alias: { 'eval-tokens': ['tokens'] },
    hiddenOptions: ['tokens'],
  };
  const message = (raw: string[]) => unknownFlag(raw, known, 'compile')?.message ?? null;
  it('passes known flags, their aliases, --no- forms, =values and anything after --', () => {
    expect(message(['m.egru', '--out', 'f', '--target=tiny', '--no-verify', '--tokens', '3', '--', '--ouput'])).toBeNull();
  });
  it('names the first unknown flag and the nearest visible option', () => {
    expect(message(['--ouput', 'f'])).toBe('unknown option --ouput: did you mean --out? (neuromap compile --help lists the options)');
    expect(message(['--out', 'f', '--no-verfy'])).toBe('unknown option --no-verfy: did you mean --no-verify? (neuromap compile --help lists the options)');
    // "tokns" is 1 edit from the hidden alias "tokens" and 6 from "eval-tokens": hidden names are never suggested.
    expect(message(['--tokns', '3'])).toBe('unknown option --tokns (neuromap compile --help lists the options)');
    expect(message(['--zzzzzz'])).toBe('unknown option --zzzzzz (neuromap compile --help lists the options)');
  });
});
