/**
 * The neuromap command line run in this process (`main` of cli/main.ts), its output captured: a command that
 * starts a node process costs seconds on a loaded machine, this milliseconds. The exit status is what the
 * process would exit with (process.exitCode, reset afterwards).
 */
import { main } from '../../cli/main';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = '', stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(args);
    return { status: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = before;
    out.mockRestore();
    err.mockRestore();
  }
}

/** A refusal as the user sees it: exit status 2 and exactly one line on stderr, no stack trace. */
export function expectOneLineRefusal(run: CliRun, message: RegExp): void {
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.status).toBe(2);
}
