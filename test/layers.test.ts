/**
 * The layering of the folders (README, "Layers"): each folder may import only from its own floor and those below,
 * so the library runs without the CLI, and the stages read in order. A file's imports are read as text (every
 * relative `from '…'`, `import('…')` and `require('…')`, type-only ones included: they couple files too).
 */
import fs from 'fs';
import path from 'path';

const ROOT = path.join(__dirname, '..');

/** Floors from the ground up; a folder may import its own floor and any below. report and sweep share a floor but not each other. */
const FLOORS: string[][] = [
  ['format'], ['models'], ['targets'], ['compiler'], ['simulator'], ['pipeline'], ['report', 'sweep'], ['cli'], ['bin'],
];
const floorOf = new Map(FLOORS.flatMap((names, i) => names.map((n) => [n, i] as const)));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

/** The top folder of every relative import in `text`, the source of `file`. */
function importedFolders(file: string, text: string): { folder: string; spec: string }[] {
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'(\.{1,2}\/[^']*)'/gm)].map((m) => m[1]);
  return specs.map((spec) => ({ spec, folder: path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0] }));
}

/** Every import that climbs: from a folder to one on a higher floor, or across a floor to a sibling. */
function violations(): string[] {
  const found: string[] = [];
  for (const [folder, floor] of floorOf) {
    const dir = path.join(ROOT, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of sourceFiles(dir)) {
      for (const imp of importedFolders(file, fs.readFileSync(file, 'utf8'))) {
        const to = floorOf.get(imp.folder);
        if (imp.folder === folder) continue;
        // package.json (the version) is data at the root; anything else outside the floors is a mistake too.
        if (to === undefined ? imp.folder !== 'package.json' : to >= floor)
          found.push(`${path.relative(ROOT, file)} imports '${imp.spec}' (${folder} may import only ${FLOORS.slice(0, floor).flat().join(', ')})`);
      }
    }
  }
  return found;
}

describe('layers', () => {
  it('no folder imports from a higher floor or a sibling (nothing below cli/ imports cli/)', () => {
    expect(violations()).toEqual([]);
  });

  it('the reader finds every kind of relative import, resolved to its top folder', () => {
    const file = path.join(ROOT, 'simulator', 'plots', 'fake.ts');
    const text = [
      "import { x } from '../../cli/main';", "export { y } from '../state';", "const z = require('../../pipeline/prune');",
      "import type { T } from './local';", "import '../../report/side-effect';", "const w = await import('../../sweep/run');", "import yaml from 'yaml';",
    ].join('\n');
    expect(importedFolders(file, text).map((i) => i.folder)).toEqual(['cli', 'simulator', 'pipeline', 'simulator', 'report', 'sweep']);
  });
});
