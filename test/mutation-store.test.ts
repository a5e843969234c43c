/**
 * The committed record of a chunk's mutation run (scripts/mutation/store.ts): the newer of the local incremental
 * file and the gzipped record wins, in either direction, and neither is touched when they agree.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import zlib from 'zlib';
import { readReportText, storedPath, syncChunk } from '../scripts/mutation/store';

function sandbox(): { root: string; local: string; stored: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mutation-store-'));
  const local = path.join(root, 'reports', 'c.incremental.json');
  fs.mkdirSync(path.dirname(local), { recursive: true });
  return { root, local, stored: storedPath(root, 'c') };
}
const setTime = (file: string, seconds: number) => fs.utimesSync(file, seconds, seconds);

describe('syncChunk', () => {
  it('does nothing when neither copy exists', () => {
    const { root, local, stored } = sandbox();
    expect(syncChunk(root, 'c', local)).toBe('none');
    expect(fs.existsSync(stored)).toBe(false);
    expect(fs.existsSync(local)).toBe(false);
  });

  it('saves a local run the record does not have, gzipped, and then reports the two as equal', () => {
    const { root, local, stored } = sandbox();
    fs.writeFileSync(local, '{"files":{"a.ts":1}}');
    expect(syncChunk(root, 'c', local)).toBe('saved');
    expect(stored).toBe(path.join(root, 'test', 'mutation-results', 'c.json.gz'));
    expect(zlib.gunzipSync(fs.readFileSync(stored)).toString()).toBe('{"files":{"a.ts":1}}');
    expect(syncChunk(root, 'c', local)).toBe('unchanged');
    expect(fs.readdirSync(path.dirname(stored))).toEqual(['c.json.gz']); // no temp file left behind
  });

  it('restores a record into a fresh checkout that has no local file', () => {
    const { root, local, stored } = sandbox();
    fs.mkdirSync(path.dirname(stored), { recursive: true });
    fs.writeFileSync(stored, zlib.gzipSync('{"from":"record"}'));
    expect(syncChunk(root, 'c', local)).toBe('restored');
    expect(fs.readFileSync(local, 'utf8')).toBe('{"from":"record"}');
    expect(syncChunk(root, 'c', local)).toBe('unchanged');
  });

  it('lets a newer local run replace an older record', () => {
    const { root, local, stored } = sandbox();
    fs.mkdirSync(path.dirname(stored), { recursive: true });
    fs.writeFileSync(stored, zlib.gzipSync('old'));
    setTime(stored, 1_000_000);
    fs.writeFileSync(local, 'new');
    setTime(local, 2_000_000);
    expect(syncChunk(root, 'c', local)).toBe('saved');
    expect(zlib.gunzipSync(fs.readFileSync(stored)).toString()).toBe('new');
  });

  it('lets a newer record (pulled from a run made elsewhere) replace an older local file', () => {
    const { root, local, stored } = sandbox();
    fs.writeFileSync(local, 'old');
    setTime(local, 1_000_000);
    fs.mkdirSync(path.dirname(stored), { recursive: true });
    fs.writeFileSync(stored, zlib.gzipSync('pulled'));
    setTime(stored, 2_000_000);
    expect(syncChunk(root, 'c', local)).toBe('restored');
    expect(fs.readFileSync(local, 'utf8')).toBe('pulled');
  });
});

describe('readReportText', () => {
  it('reads a gzipped report by its .gz name and a plain one as it is', () => {
    const { root } = sandbox();
    fs.writeFileSync(path.join(root, 'r.json.gz'), zlib.gzipSync('{"z":1}'));
    fs.writeFileSync(path.join(root, 'r.json'), '{"p":2}');
    expect(readReportText(path.join(root, 'r.json.gz'))).toBe('{"z":1}');
    expect(readReportText(path.join(root, 'r.json'))).toBe('{"p":2}');
  });
});
