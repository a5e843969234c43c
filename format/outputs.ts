/**
 * Checks on the files a command will write, made before any work starts:
 *   - no output is one of the inputs (the same file however it is named: relative, through a symlink, or a hard
 *     link; compared by device and inode), since an atomic write would replace the input by the output;
 *   - no two outputs are the same file (the second would silently replace the first);
 *   - every output's folder exists, is a folder, and takes a new file (probed by creating and removing one, which
 *     also catches a read-only file system and, unlike access(2), what root may not write either);
 *   - no output is an existing folder.
 * So `train --out missing/x.egru` fails in a second, not after hours of training.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeIoError } from './io-error';
import { UserError } from './user-error';

/** An output file and the flag that names it (for messages), e.g. { flag: '--out', file: 'm.egru' }. */
export interface Output {
  flag: string;
  file: string | undefined;
}

/**
 * Throws a UserError naming the flag and the file when an output would destroy an input or another output, or
 * cannot be written. `inputs` that do not exist are skipped (their loader reports them); undefined entries too.
 */
export function checkOutputs(inputs: readonly (string | undefined)[], outputs: readonly Output[]): void {
  const given = outputs.filter((o): o is { flag: string; file: string } => o.file !== undefined && o.file !== '');
  const existingInputs = inputs.filter((f): f is string => !!f).map((f) => ({ file: f, id: fileId(f) })).filter((i) => i.id !== null);
  for (const [k, o] of given.entries()) {
    const id = fileId(o.file);
    if (id !== null) {
      const input = existingInputs.find((i) => i.id === id);
      if (input)
        throw new UserError(`${o.flag} ${o.file} is the input ${input.file} (the same file): writing it would destroy the input; choose another ${o.flag}`);
    }
    const twin = given.slice(0, k).find((p) => sameTarget(p.file, o.file));
    if (twin) throw new UserError(`${o.flag} ${o.file} and ${twin.flag} ${twin.file} are the same file: give each output its own name`);
    checkWritable(o.flag, o.file);
  }
}

/** device:inode of an existing file (symlinks followed), null when it does not exist. */
function fileId(file: string): string | null {
  try {
    const s = fs.statSync(file);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

function sameTarget(a: string, b: string): boolean {
  const ia = fileId(a), ib = fileId(b);
  if (ia !== null && ib !== null) return ia === ib;
  return resolvedPath(a) === resolvedPath(b);
}

/** The absolute path a new file would get: its folder resolved through symlinks, then its own name. */
function resolvedPath(file: string): string {
  const abs = path.resolve(file);
  try {
    return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    return abs;
  }
}

/** The output's folder exists and takes a new file, and the output itself is not a folder. */
export function checkWritable(flag: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${flag} ${file}: its folder ${dir} does not exist; create it first (mkdir -p ${dir})`);
    throw new UserError(`${flag} ${file}: cannot use its folder ${dir}: ${describeIoError(err)}`);
  }
  if (!dirStat.isDirectory()) throw new UserError(`${flag} ${file}: ${dir} is not a folder`);
  try {
    if (fs.statSync(file).isDirectory()) throw new UserError(`${flag} ${file} is a folder; name a file in it instead`);
  } catch (err) {
    if (err instanceof UserError) throw err;
  }
  const probe = path.join(dir, `.neuromap-write-probe-${process.pid}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw new UserError(`${flag} ${file}: cannot write in ${dir}: ${describeIoError(err)}`);
  }
  fs.rmSync(probe, { force: true });
}
