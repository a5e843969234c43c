import fs from 'fs';
import os from 'os';
import path from 'path';
import { MAX_LINES, planChunks } from '../scripts/mutation/chunks';

/** A tree of the three mutated folders whose files have the given line counts (n lines: n − 1 newlines). */
function tree(files: Record<string, number>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chunks-'));
  for (const [file, lines] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '\n'.repeat(lines - 1));
  }
  return root;
}

describe('planChunks', () => {
  it('packs each folder in path order, ~700 lines a chunk in compiler/ and simulator/, ~350 in models/', () => {
    expect(MAX_LINES).toEqual({ compiler: 700, simulator: 700, models: 350 });
    const root = tree({
      // compiler: 400 + 300 = 700 fits one chunk; 1 more line opens the next.
      'compiler/a.ts': 400, 'compiler/b.ts': 300, 'compiler/c.ts': 1,
      // simulator: one file over the limit is a chunk of its own.
      'simulator/big.ts': 900, 'simulator/small.ts': 10,
      // models: 200 + 150 = 350 fits; 200 + 151 does not. Subfolders sort by path (cells/x.ts before config.ts).
      'models/a.ts': 200, 'models/cells/x.ts': 150, 'models/config.ts': 200, 'models/z.ts': 151,
      // not mutated: declarations and the generated kernel bytes.
      'models/kernels/wasm/simd-bytes.ts': 5, 'models/kernels/wasm/webassembly.d.ts': 5,
    });
    expect(planChunks(root)).toEqual([
      { name: 'compiler-1', files: ['compiler/a.ts', 'compiler/b.ts'] },
      { name: 'compiler-2', files: ['compiler/c.ts'] },
      { name: 'simulator-1', files: ['simulator/big.ts'] },
      { name: 'simulator-2', files: ['simulator/small.ts'] },
      { name: 'models-1', files: ['models/a.ts', 'models/cells/x.ts'] },
      { name: 'models-2', files: ['models/config.ts'] },
      { name: 'models-3', files: ['models/z.ts'] },
    ]);
  });

  it('--max-lines sets one limit for every folder', () => {
    const root = tree({ 'compiler/a.ts': 400, 'compiler/b.ts': 300, 'simulator/s.ts': 5, 'models/a.ts': 200, 'models/b.ts': 150 });
    expect(planChunks(root, 400).map((c) => c.files)).toEqual([['compiler/a.ts'], ['compiler/b.ts'], ['simulator/s.ts'], ['models/a.ts', 'models/b.ts']]);
  });
});
