/**
 * The `neuromap` command line. Each command lives in its own file under cli/commands and exports a yargs
 * CommandModule; this file only assembles them and turns user errors into one clear line.
 */
import yargs, { type MiddlewareFunction } from 'yargs';
import { UserError } from '../models/config';
import { NEUROMAP_VERSION } from '../pipeline/provenance';
import { commands } from './commands';
import { type OptionKinds, repeatedFlag } from './repeated-flags';
import { unknownFlag } from './unknown-flags';

export async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv)
    .scriptName('neuromap')
    .usage('$0 <command> [options]\n\nFrom corpus to virtual neuromorphic chip: train, prune, compile and simulate event-based GRU language models.')
    .strict()
    .demandCommand(1, 'Name a command; `neuromap --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(NEUROMAP_VERSION)
    // Before yargs' own validation, so a misspelt flag is named (with a suggestion) instead of the option it missed,
    // and a flag of one value given twice is refused before yargs makes a list of it (cli/repeated-flags.ts).
    .middleware(misspeltFlagCheck(argv), true)
    .wrap(Math.min(110, process.stdout.columns || 110))
    .fail((msg, err) => {
      // yargs calls this for its own validation failures (msg) and for errors thrown by handlers (err).
      throw err ?? new UserError(`${msg}\nRun with --help to see the options.`);
    });
  for (const command of commands) parser.command(command);
  try {
    await parser.parseAsync();
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/**
 * Middleware that throws the UserError of `unknownFlag` or `repeatedFlag`. yargs calls middleware with the command's own yargs
 * instance as a second argument, which @types/yargs leaves out; its `getOptions` lists the command's options.
 */
function misspeltFlagCheck(raw: string[]): MiddlewareFunction {
  const check = (args: { _: (string | number)[] }, y: { getOptions(): OptionKinds }): void => {
    const problem = unknownFlag(raw, y.getOptions(), String(args._[0] ?? '')) ?? repeatedFlag(raw, y.getOptions());
    if (problem) throw problem;
  };
  return check as unknown as MiddlewareFunction;
}

/** Prints an error for the user and returns the exit status. Unexpected errors keep their stack (a bug to report). */
export function reportError(err: unknown): number {
  if (err instanceof UserError) {
    process.stderr.write(`neuromap: ${err.message}\n`);
    return 2;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.path === 'string') {
    const what = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.code;
    process.stderr.write(`neuromap: ${what}: ${e.path}\n`);
    return 2;
  }
  process.stderr.write(`neuromap: internal error (please report it): ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}
