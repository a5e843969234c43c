/**
 * Flags renamed for one vocabulary across commands (`--out` a file, `--out-dir` a folder, `--train-tokens`,
 * `--eval-tokens`, `--sim-tokens`) keep their old names, hidden from --help, so old command lines still work.
 */
import type { Argv } from 'yargs';

/** Accepts `--old` as `--now` (the value goes to `now`, which the handler reads); `old` stays out of --help. */
export function oldName<T>(y: Argv<T>, old: string, now: string, type: 'string' | 'number'): Argv<T> {
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return y
    // `deprecated` names the new flag where the command's checks can read it (getOptions().deprecatedOptions):
    // cli/repeated-flags.ts counts `--old 1 --now 2` as one flag given twice.
    .option(old, { type, hidden: true, describe: `old name of --${now}`, deprecated: `--${now}` })
    .middleware((args: Record<string, unknown>) => {
      if (args[old] === undefined) return;
      args[now] = args[old];
      args[camel(now)] = args[old];
    }, true) as unknown as Argv<T>;
}
