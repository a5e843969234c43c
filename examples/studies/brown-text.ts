/**
 * examples/studies/brown-text.ts OUT_DIR [VALID_TOKENS]: writes the embedded Brown corpus's test split as
 * OUT_DIR/test.txt (one sentence a line, as examples/fidelity/build.ts does) and the first sentences of its
 * validation split, until at least VALID_TOKENS tokens (default 1,000, counting each sentence's <eos>), as
 * OUT_DIR/valid1k.txt: the calibration text of `neuromap compile --strategy balance --calibrate`.
 * (`neuromap simulate M.nmap --split test` needs --data DIR; without it, the maps need a --text file.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBrown } from '../../models/data/brown';

const out = process.argv[2];
const want = Number(process.argv[3] ?? 1000);
if (!out) throw new Error('usage: brown-text.ts OUT_DIR [VALID_TOKENS]');
fs.mkdirSync(out, { recursive: true });
const { splits } = readBrown();
const line = (s: string[]) => s.slice(0, -1).join(' ');
fs.writeFileSync(path.join(out, 'test.txt'), splits.test.map(line).join('\n') + '\n');
const valid: string[] = [];
let n = 0;
for (const s of splits.valid) { if (n >= want) break; valid.push(line(s)); n += s.length; }
fs.writeFileSync(path.join(out, 'valid1k.txt'), valid.join('\n') + '\n');
process.stderr.write(`wrote ${out}/test.txt (${splits.test.length} sentences) and ${out}/valid1k.txt (${valid.length} sentences, ${n} tokens)\n`);
