/**
 * One sweep per folder at a time: two sweeps on the same DIR would train the same cached models twice and
 * interleave results.jsonl. DIR/sweep.lock holds the owner's pid; a lock whose process is gone is taken over.
 */
import fs from 'fs';
import path from 'path';
import { UserError } from '../models/config';
import { describeIoError } from '../models/atomic';

export function lockSweepDir(outDir: string): () => void {
  const file = path.join(outDir, 'sweep.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`cannot lock ${outDir}: ${describeIoError(err)}`);
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new UserError(`another sweep (pid ${pid}) is running in ${outDir}; wait for it, or use another --out`);
      fs.rmSync(file, { force: true });
    }
  }
  throw new UserError(`cannot lock ${outDir}: ${file} keeps reappearing`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
