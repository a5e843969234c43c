/**
 * One vocabulary of flags (cli/old-names.ts): `--train-tokens`, `--eval-tokens`, `--sim-tokens`, `--out-dir` for
 * folders. The old names still work, give the handler exactly what the new ones give, and stay out of --help.
 */
import yargs, { type CommandModule } from 'yargs';
import { commands } from '../cli/commands';
import { trainSettingsFromArgs } from '../pipeline/flags';

/** The arguments a command's handler would get for `line` (the real builder; the handler only records them). */
async function parsed(name: string, line: string[]): Promise<Record<string, unknown>> {
  const command = commands.find((c) => String(c.command).split(' ')[0] === name) as CommandModule;
  let got: Record<string, unknown> = {};
  await yargs([name, ...line]).command({ ...command, handler: (a) => void (got = a) }).strict().fail((msg, err) => {
    throw err ?? new Error(msg);
  }).parseAsync();
  return got;
}

const RENAMED: [command: string, old: string[], now: string[], key: string][] = [
  ['train', ['--out', 'm.egru', '--max-tokens', '400'], ['--out', 'm.egru', '--train-tokens', '400'], 'train-tokens'],
  ['eval', ['m.egru', '--max-tokens', '300'], ['m.egru', '--eval-tokens', '300'], 'eval-tokens'],
  ['simulate', ['m.nmap', '--max-tokens', '3'], ['m.nmap', '--sim-tokens', '3'], 'sim-tokens'],
  ['demo', ['--tokens', '2500'], ['--train-tokens', '2500'], 'train-tokens'],
  ['sweep', ['s.yaml', '--out', 'dir'], ['s.yaml', '--out-dir', 'dir'], 'out-dir'],
];

describe('old flag names', () => {
  it.each(RENAMED)('%s: the old name gives the new name’s value', async (name, old, now, key) => {
    const [a, b] = [await parsed(name, old), await parsed(name, now)];
    expect(a[key]).toBe(b[key]);
    expect(a[key]).toBe(now[now.length - 1] === 'dir' ? 'dir' : Number(now[now.length - 1]));
  });

  it('train: the old --max-tokens makes the same training settings as --train-tokens', async () => {
    const [a, b] = [trainSettingsFromArgs(await parsed('train', RENAMED[0][1])), trainSettingsFromArgs(await parsed('train', RENAMED[0][2]))];
    expect(a).toEqual(b);
    expect(a.maxTokens).toBe(400);
  });

  it('are not in any command’s --help; the new names are', async () => {
    const help = async (name: string) => {
      let text = '';
      await yargs().command(commands.find((c) => String(c.command).split(' ')[0] === name) as CommandModule).parseAsync([name, '--help'], {}, (_e, _a, out) => void (text = out));
      return text;
    };
    const texts = Object.fromEntries(await Promise.all(RENAMED.map(async ([name]) => [name, await help(name)] as const)));
    expect(texts.train).toMatch(/--train-tokens/);
    expect(texts.train).not.toMatch(/--max-tokens/);
    expect(texts.eval).toMatch(/--eval-tokens/);
    expect(texts.eval).not.toMatch(/--max-tokens/);
    expect(texts.simulate).toMatch(/--sim-tokens/);
    expect(texts.simulate).not.toMatch(/--max-tokens/);
    expect(texts.demo).toMatch(/--train-tokens/);
    expect(texts.demo).not.toMatch(/--tokens\b/);
    expect(texts.sweep).toMatch(/--out-dir/);
    expect(texts.sweep).not.toMatch(/--out\b(?!-)/);
  });
});
