/**
 * models/atomic.ts, known answers: writeFilesAtomic's messages (with ' (none of the outputs were written)' only
 * when there are several outputs), all or nothing on a failed write and on a failed first rename, no temp file
 * left behind, and readFileForUser's messages. A write that fails after its temp file was opened is made with a
 * temp path that is a symlink to /dev/full (every write there fails with ENOSPC).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readFileForUser, tempPathFor, writeFileAtomic, writeFilesAtomic } from '../models/atomic';
import { errorOf } from './helpers/errors';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string): string => path.join(tmp(), name);
const hasDevFull = fs.existsSync('/dev/full');

describe('writeFileAtomic / writeFilesAtomic', () => {
  it('writes strings as UTF-8 and bytes as they are, empty data as an empty file, and leaves no temp file', () => {
    writeFilesAtomic([
      { file: file('s'), data: 'é' },
      { file: file('b'), data: Uint8Array.of(0, 255) },
      { file: file('e'), data: '' },
    ]);
    expect([...fs.readFileSync(file('s'))]).toEqual([0xc3, 0xa9]);
    expect([...fs.readFileSync(file('b'))]).toEqual([0, 255]);
    expect(fs.readFileSync(file('e')).length).toBe(0);
    expect(fs.readdirSync(tmp()).sort()).toEqual(['b', 'e', 's']);
  });

  it('the temp file is the target with .<pid>.tmp appended, in the same directory', () => {
    expect(tempPathFor('/a/b.egru')).toBe(`/a/b.egru.${process.pid}.tmp`);
  });

  it('one output: the message has no "(none of the outputs were written)"', () => {
    const target = file('missing/a.egru');
    expect(errorOf(() => writeFileAtomic(target, 'x'))).toBe(`cannot write ${target}: no such file or directory`);
    expect(errorOf(() => writeFilesAtomic([{ file: target, data: 'x' }]))).toBe(`cannot write ${target}: no such file or directory`);
  });

  it('several outputs, the first cannot be written: none are, with the suffix', () => {
    const target = file('missing/a');
    expect(errorOf(() => writeFilesAtomic([{ file: target, data: 'a' }, { file: file('b'), data: 'b' }]))).toBe(
      `cannot write ${target}: no such file or directory (none of the outputs were written)`,
    );
    expect(fs.readdirSync(tmp())).toEqual([]);
  });

  (hasDevFull ? it : it.skip)('a write that fails after its temp file was opened: its temp file and the earlier ones are removed', () => {
    fs.writeFileSync(file('a'), 'old');
    fs.symlinkSync('/dev/full', tempPathFor(file('b')));
    expect(errorOf(() => writeFilesAtomic([{ file: file('a'), data: 'new' }, { file: file('b'), data: 'b' }]))).toBe(
      `cannot write ${file('b')}: no space left on the device (none of the outputs were written)`,
    );
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp())).toEqual(['a']);
  });

  it('the first rename fails (the target is a non-empty directory): nothing written, no temp file, no suffix', () => {
    fs.mkdirSync(file('d'));
    fs.writeFileSync(file('d/inside'), 'i');
    fs.writeFileSync(file('b'), 'old');
    expect(errorOf(() => writeFilesAtomic([{ file: file('d'), data: 'd' }, { file: file('b'), data: 'new' }]))).toBe(
      `cannot write ${file('d')}: it is a directory`,
    );
    expect(fs.readFileSync(file('b'), 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp()).sort()).toEqual(['b', 'd']);
    expect(fs.readdirSync(file('d'))).toEqual(['inside']);
  });

  it('a later rename fails: the outputs after it are not written and no temp file is left', () => {
    fs.mkdirSync(file('d'));
    fs.writeFileSync(file('d/inside'), 'i');
    expect(errorOf(() =>
      writeFilesAtomic([{ file: file('a'), data: 'a' }, { file: file('d'), data: 'd' }, { file: file('c'), data: 'c' }]),
    )).toBe(`cannot write ${file('d')}: it is a directory`);
    // 'a' was renamed into place before the failure (renames cannot be undone as a group); 'c' never was.
    expect(fs.readdirSync(tmp()).sort()).toEqual(['a', 'd']);
  });
});

describe('file descriptors', () => {
  const hasProcFd = fs.existsSync('/proc/self/fd');
  const openFds = (): number => fs.readdirSync('/proc/self/fd').length;
  (hasProcFd ? it : it.skip)('every file and directory opened is closed again, also when a write fails', () => {
    const before = openFds();
    writeFilesAtomic([{ file: file('a'), data: 'a' }, { file: file('b'), data: 'b' }]);
    expect(openFds()).toBe(before);
    if (hasDevFull) {
      fs.symlinkSync('/dev/full', tempPathFor(file('c')));
      expect(errorOf(() => writeFileAtomic(file('c'), 'c'))).toBe(`cannot write ${file('c')}: no space left on the device`);
      expect(openFds()).toBe(before);
    }
  });
});

describe('readFileForUser', () => {
  it('reads the whole file', () => {
    fs.writeFileSync(file('r'), Uint8Array.of(1, 2, 3));
    expect([...readFileForUser(file('r'), 'model file')]).toEqual([1, 2, 3]);
  });

  it('names a missing file and a directory', () => {
    expect(errorOf(() => readFileForUser(file('none'), 'model file'))).toBe(`cannot read model file ${file('none')}: no such file or directory`);
    expect(errorOf(() => readFileForUser(tmp(), 'checkpoint'))).toBe(`cannot read checkpoint ${tmp()}: it is a directory`);
  });
});
