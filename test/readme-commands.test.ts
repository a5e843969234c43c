/** The README's command table names every command `neuromap --help` lists (it once left out sweep and report). */
import * as fs from 'fs';
import * as path from 'path';
import { commands } from '../cli/commands';

describe('README command table', () => {
  it('has a row for every command', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    // A row starts with the command (`| `train …`), or names a second one after a slash (`… / `export …`).
    const rows = new Set([...readme.matchAll(/(?:^\| |\/ )`([a-z]+)[ `]/gm)].map((m) => m[1]));
    const names = commands.map((c) => String(c.command).split(' ')[0]);
    expect(names.filter((n) => !rows.has(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['sweep', 'report', 'corpus', 'targets']));
  });
});
