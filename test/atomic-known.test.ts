/**
 * models/atomic.ts, known answers: writeFilesAtomic's messages (with ' (none of the outputs were written)' only
 * when there are several outputs), all or nothing on a failed write and on a failed rename, first or later (every
 * target replaced before it gets its old bytes back, or is removed when it did not exist), no temp file or backup
 * left behind, and readFileForUser's messages. A write that fails after its temp file was opened is made with a
 * temp path that is a symlink to /dev/full (every write there fails with ENOSPC); a rename that fails, with a
 * target that is a non-empty folder (EISDIR: a file cannot replace it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { backupPathFor, readFileForUser, tempPathFor, writeFileAtomic, writeFilesAtomic } from '../models/atomic';
import * as config from '../models/config';
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

  it('the temp file is the target with .<pid>.tmp appended, the backup with .<pid>.bak, in the same directory', () => {
    expect(tempPathFor('/a/b.egru')).toBe(`/a/b.egru.${process.pid}.tmp`);
    expect(backupPathFor('/a/b.egru')).toBe(`/a/b.egru.${process.pid}.bak`);
  });

  it('replaces existing targets (a file and a symlink, not what it points to) and leaves no backup', () => {
    fs.writeFileSync(file('a'), 'old a');
    fs.writeFileSync(file('pointed'), 'pointed');
    fs.symlinkSync(file('pointed'), file('l'));
    writeFilesAtomic([{ file: file('a'), data: 'new a' }, { file: file('l'), data: 'new l' }, { file: file('b'), data: 'b' }]);
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('new a');
    expect(fs.lstatSync(file('l')).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(file('l'), 'utf8')).toBe('new l');
    expect(fs.readFileSync(file('pointed'), 'utf8')).toBe('pointed');
    expect(fs.readdirSync(tmp()).sort()).toEqual(['a', 'b', 'l', 'pointed']);
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

  it('the last target (so a single file too) is renamed over in one step, with no backup: a folder at its backup name does not matter', () => {
    fs.writeFileSync(file('a'), 'old');
    fs.mkdirSync(backupPathFor(file('a')));
    fs.writeFileSync(path.join(backupPathFor(file('a')), 'inside'), 'i');
    writeFileAtomic(file('a'), 'new');
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('new');
    expect(fs.readdirSync(backupPathFor(file('a')))).toEqual(['inside']);
  });

  const nonEmptyFolder = (name: string): void => {
    fs.mkdirSync(file(name));
    fs.writeFileSync(file(`${name}/inside`), 'i');
  };
  /** Writes the files `names` in the temp folder (each one's data its name) and expects the refusal at folder 'd'. */
  const refusedAtFolderD = (names: string[]): void => {
    expect(errorOf(() => writeFilesAtomic(names.map((n) => ({ file: file(n), data: n }))))).toBe(
      `cannot write ${file('d')}: it is a directory (none of the outputs were written)`,
    );
  };

  it('the first rename fails (the target is a non-empty folder): nothing written, the folder as it was, no temp file', () => {
    nonEmptyFolder('d');
    fs.writeFileSync(file('b'), 'old');
    refusedAtFolderD(['d', 'b']);
    expect(fs.readFileSync(file('b'), 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp()).sort()).toEqual(['b', 'd']);
    expect(fs.readdirSync(file('d'))).toEqual(['inside']);
  });

  it('the second rename fails: the first target, already replaced, gets its old bytes back; no temp file or backup', () => {
    // Before, 'a' was left holding the new bytes ('a') and the message said nothing of it.
    nonEmptyFolder('d');
    fs.writeFileSync(file('a'), 'old');
    refusedAtFolderD(['a', 'd', 'c']);
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp()).sort()).toEqual(['a', 'd']);
    expect(fs.readdirSync(file('d'))).toEqual(['inside']);
  });

  it('the third rename fails: a new first target is removed again, an existing second one gets its old bytes back', () => {
    // 'a' did not exist: removed. 'b' held 'old b': restored. (Undone last first: the message of a failed put-back shows the order.)
    nonEmptyFolder('d');
    fs.writeFileSync(file('b'), 'old b');
    refusedAtFolderD(['a', 'b', 'd']);
    expect(fs.readFileSync(file('b'), 'utf8')).toBe('old b');
    expect(fs.readdirSync(tmp()).sort()).toEqual(['b', 'd']);
  });

  it('a symlink replaced before a failure is put back as the same symlink (even one to a folder)', () => {
    nonEmptyFolder('d');
    fs.mkdirSync(file('e'));
    fs.symlinkSync(file('e'), file('l'));
    refusedAtFolderD(['l', 'd']);
    expect(fs.lstatSync(file('l')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(file('l'))).toBe(file('e'));
    expect(fs.readdirSync(tmp()).sort()).toEqual(['d', 'e', 'l']);
  });
});

describe('writeFilesAtomic: renames that fail only on an fs made to fail', () => {
  afterEach(() => {
    jest.dontMock('fs');
    jest.dontMock('../models/config');
  });

  const eperm = (): never => {
    throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
  };

  /** models/atomic.ts loaded afresh with an fs whose renameSync and rmSync refuse (EPERM) where `refuse` says. */
  function atomicWith(refuse: { rename?: (from: string, to: string) => boolean; rm?: (p: string) => boolean }): typeof import('../models/atomic') {
    let atomic!: typeof import('../models/atomic');
    jest.isolateModules(() => {
      jest.doMock('fs', () => {
        const real = jest.requireActual<typeof fs>('fs');
        return {
          ...real,
          renameSync: (from: string, to: string) => (refuse.rename?.(from, to) ? eperm() : real.renameSync(from, to)),
          rmSync: (p: string, o?: fs.RmOptions) => (refuse.rm?.(p) ? eperm() : real.rmSync(p, o)),
        };
      });
      // The same UserError class as the test's, not a fresh copy of models/config.
      jest.doMock('../models/config', () => config);
      atomic = require('../models/atomic');
    });
    return atomic;
  }

  it('a target moved to its backup whose own rename then fails gets its backup back', () => {
    // No real filesystem refuses the rename of a temp file onto a name just freed in the same folder.
    const atomic = atomicWith({ rename: (from, to) => from.endsWith('.tmp') && to === file('a') });
    fs.writeFileSync(file('a'), 'old');
    expect(errorOf(() => atomic.writeFilesAtomic([{ file: file('a'), data: 'new' }, { file: file('b'), data: 'b' }]))).toBe(
      `cannot write ${file('a')}: permission denied (none of the outputs were written)`,
    );
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp())).toEqual(['a']);
  });

  it('a target that cannot be put back is named with where its old file is kept, and that backup is left', () => {
    // No real filesystem refuses to rename a backup back in the folder it was just renamed in: renameSync refuses
    // a .bak source and rmSync refuses 'b'. Undone last first: 'b' (new, cannot be removed), then 'a'.
    const atomic = atomicWith({ rename: (from) => from.endsWith('.bak'), rm: (p) => p === file('b') });
    fs.mkdirSync(file('d'));
    fs.writeFileSync(file('d/inside'), 'i');
    fs.writeFileSync(file('a'), 'old');
    expect(errorOf(() =>
      atomic.writeFilesAtomic([{ file: file('a'), data: 'new' }, { file: file('b'), data: 'b' }, { file: file('d'), data: 'd' }]),
    )).toBe(
      `cannot write ${file('d')}: it is a directory; and ${file('b')} was written and could not be removed (permission denied); ` +
        `${file('a')} was replaced and could not be put back (permission denied): its old file is ${file('a')}.${process.pid}.bak`,
    );
    expect(fs.readdirSync(tmp()).sort()).toEqual(['a', `a.${process.pid}.bak`, 'b', 'd']);
    expect(fs.readFileSync(file(`a.${process.pid}.bak`), 'utf8')).toBe('old');
    expect(fs.readFileSync(file('a'), 'utf8')).toBe('new');
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
