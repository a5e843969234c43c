/** A flag of one value given twice is refused in one line, for every command (cli/repeated-flags.ts). */
import { repeatedFlag, type OptionKinds } from '../cli/repeated-flags';
import { expectOneLineRefusal, runCli } from './helpers/cli';

describe('repeatedFlag', () => {
  // As yargs' getOptions() gives them: keys (aliases included), aliases, list and boolean options.
  const known: OptionKinds = {
    key: { lr: true, out: true, verify: true, files: true, 'eval-tokens': true, evalTokens: true },
    alias: { 'eval-tokens': ['evalTokens'] },
    hiddenOptions: [], array: ['files'], boolean: ['verify'],
  };
  const message = (raw: string[]) => repeatedFlag(raw, known)?.message ?? null;

  it('names the flag and the values as typed', () => {
    expect(message(['--lr', '1e-3', '--out', 'm.egru', '--lr', '2e-3'])).toBe('--lr given twice (1e-3 and 2e-3): give it once');
    expect(message(['--lr=1e-3', '--lr', '2e-3', '--lr=0.1'])).toBe('--lr given 3 times (1e-3, 2e-3 and 0.1): give it once');
    expect(message(['--eval-tokens', '5', '--evalTokens', '6'])).toBe('--eval-tokens given twice (5 and 6): give it once');
    expect(message(['--verify', '--no-verify'])).toBe('--verify given twice (--verify and --no-verify): give it once');
    expect(message(['--verify', '--verify'])).toBe('--verify given twice: give it once');
  });

  it('counts an old flag name (cli/old-names.ts) and its new one as one flag, naming each value', () => {
    const renamed: OptionKinds = { ...known, key: { ...known.key, 'max-tokens': true }, deprecatedOptions: { 'max-tokens': '--eval-tokens' } };
    expect(repeatedFlag(['--max-tokens', '5', '--eval-tokens=6'], renamed)?.message).toBe(
      '--eval-tokens given twice (--max-tokens 5 and --eval-tokens 6): give it once',
    );
    expect(repeatedFlag(['--max-tokens', '5', '--lr', '1'], renamed)).toBeNull();
  });

  it('lets list options repeat, single ones appear once, and ignores what follows a bare --', () => {
    expect(message(['--files', 'a.json', '--files', 'b.json', '--lr', '1e-3', '--', '--lr', '2'])).toBeNull();
  });
});

describe('every command refuses a repeated flag before it runs', () => {
  it.each([
    [['train', '--out', 'never.egru', '--lr', '1e-3', '--lr', '2e-3'], /^neuromap: --lr given twice \(1e-3 and 2e-3\): give it once\n$/],
    [['eval', 'pretrained:brown-egru', '--eval-tokens', '10', '--eval-tokens=20'], /^neuromap: --eval-tokens given twice \(10 and 20\): give it once\n$/],
    [['compile', 'x.egru', '--target', 'loihi2', '--target', 'tiny', '--out', 'x.nmap'], /^neuromap: --target given twice \(loihi2 and tiny\): give it once\n$/],
    [['eval', 'pretrained:brown-egru', '--max-tokens', '5', '--eval-tokens', '6'], /^neuromap: --eval-tokens given twice \(--max-tokens 5 and --eval-tokens 6\): give it once\n$/],
    [['demo', '--tokens', '2500', '--train-tokens', '3000'], /^neuromap: --train-tokens given twice \(--tokens 2500 and --train-tokens 3000\): give it once\n$/],
  ])('%j', async (args, message) => {
    expectOneLineRefusal(await runCli(args), message);
  });
});
