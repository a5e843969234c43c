/**
 * Model files (*.egru, format 2) and compiled maps (*.nmap, format 3) end with a CRC-32 of their content
 * (format/checksum.ts). Every single-bit flip anywhere in a file must be refused in one line naming the file;
 * older files without a checksum still load; a newer format is refused with what to do.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Packr } from 'msgpackr';
import { loadNmap } from '../compiler';
import { UserError } from '../models/config';
import { EGRU_VERSION, loadModel, modelToRecord, saveModel } from '../models/file';
import { Rng } from '../models/rng';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';
import { errorOf } from './helpers/errors';
import { runCli } from './helpers/cli';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

/** Loads `bytes` with one bit flipped at each of `flips` positions (spread over the file, the tail included). */
function flippedLoads(bytes: Buffer, name: string, load: (f: string) => unknown, flips: number): { refused: number; messages: string[] } {
  const rng = new Rng(7);
  const messages: string[] = [];
  let refused = 0;
  const positions = [bytes.length - 1, bytes.length - 10, 0, ...Array.from({ length: flips - 3 }, () => Math.floor(rng.next() * bytes.length))];
  for (const at of positions) {
    const copy = Buffer.from(bytes);
    copy[at] ^= 1 << Math.floor(rng.next() * 8);
    fs.writeFileSync(file(name), copy);
    try {
      load(file(name));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      refused++;
      messages.push(err.message);
    }
  }
  return { refused, messages };
}

describe('checksums', () => {
  it('every one of 40 single-bit flips in a model file is refused (16 of 20 used to load)', () => {
    saveModel(file('m.egru'), randomModel(fixtureConfig(), { sparsity: 0.3 }));
    const { refused, messages } = flippedLoads(fs.readFileSync(file('m.egru')), 'flipped.egru', loadModel, 40);
    expect(refused).toBe(40);
    for (const m of messages) expect(m).toContain(file('flipped.egru'));
    expect(messages.some((m) => /its checksum is [0-9a-f]{8} and its content's is [0-9a-f]{8}/.test(m))).toBe(true);
  });

  it('every one of 40 single-bit flips in a compiled map is refused (9 of 20 used to load)', async () => {
    saveModel(file('m.egru'), randomModel(fixtureConfig({ layers: [7, 5] }), { sparsity: 0.5 }));
    expect((await runCli(['compile', file('m.egru'), '--target', 'tiny', '--out', file('m.nmap')])).status).toBe(0);
    const { refused, messages } = flippedLoads(fs.readFileSync(file('m.nmap')), 'flipped.nmap', loadNmap, 40);
    expect(refused).toBe(40);
    for (const m of messages) expect(m).toContain(file('flipped.nmap'));
  });

  it('a format-2 model cut short of its checksum, or written without one, is refused', () => {
    saveModel(file('m.egru'), randomModel());
    const bytes = fs.readFileSync(file('m.egru'));
    fs.writeFileSync(file('cut.egru'), bytes.subarray(0, bytes.length - 18));
    expect(errorOf(() => loadModel(file('cut.egru')))).toMatch(/cut\.egru is not a neuromap model file: it is truncated/);
    const packr = new Packr({ moreTypes: true, useRecords: false });
    fs.writeFileSync(file('bare.egru'), packr.pack({ format: 'neuromap-egru', version: 2, ...modelToRecord(randomModel()) }));
    expect(errorOf(() => loadModel(file('bare.egru')))).toMatch(/bare\.egru is corrupt: a neuromap model file of format version 2 ends with a checksum, and this one has none/);
  });

  it('a format-1 model (no checksum) still loads, and one from a newer neuromap is refused with what to do', () => {
    expect(EGRU_VERSION).toBe(2);
    const model = randomModel();
    const packr = new Packr({ moreTypes: true, useRecords: false });
    fs.writeFileSync(file('v1.egru'), packr.pack({ format: 'neuromap-egru', version: 1, ...modelToRecord(model) }));
    expect(loadModel(file('v1.egru')).params.embedding.data).toEqual(model.params.embedding.data);
    fs.writeFileSync(file('v9.egru'), packr.pack({ format: 'neuromap-egru', version: 9, ...modelToRecord(model) }));
    expect(errorOf(() => loadModel(file('v9.egru')))).toMatch(/v9\.egru was written by a newer neuromap \(format version 9, this one reads 2\): upgrade neuromap/);
  });

  it('the same model gives the same bytes, checksum included', () => {
    saveModel(file('a.egru'), randomModel());
    saveModel(file('b.egru'), randomModel());
    expect(fs.readFileSync(file('a.egru')).equals(fs.readFileSync(file('b.egru')))).toBe(true);
  });
});

describe('safetensors: what can be checked without a checksum', () => {
  it('a truncated file is called truncated (not "not msgpack"), and a NaN weight or a shape against the vocabulary is refused on import', async () => {
    const model = randomModel();
    const { exportEvnn } = await import('../models/evnn');
    exportEvnn(model, file('m.safetensors'), file('m.vocab.txt'));
    const bytes = fs.readFileSync(file('m.safetensors'));
    fs.writeFileSync(file('cut.safetensors'), bytes.subarray(0, bytes.length - 100));
    let r = await runCli(['inspect', file('cut.safetensors')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cut\.safetensors is not a valid safetensors file: .*truncated/);
    // A NaN in the last 4 bytes: the decoder bias's last value (float32 NaN, little-endian).
    const nan = Buffer.from(bytes);
    nan.writeFloatLE(NaN, nan.length - 4);
    fs.writeFileSync(file('nan.safetensors'), nan);
    r = await runCli(['import', file('nan.safetensors'), '--vocab', file('m.vocab.txt'), '--out', file('x.egru')]);
    expect(r.stderr).toMatch(/nan\.safetensors does not make a valid model: .*holds a non-finite value \(NaN at index 11\)/);
    expect(fs.existsSync(file('x.egru'))).toBe(false);
    fs.writeFileSync(file('short.vocab.txt'), model.vocab.slice(0, 5).join('\n') + '\n');
    r = await runCli(['import', file('m.safetensors'), '--vocab', file('short.vocab.txt'), '--out', file('x.egru')]);
    expect(r.stderr).toMatch(/short\.vocab\.txt has 5 words \(lines\) but the model in .*m\.safetensors has a vocabulary of 12/);
    // The surrogate flags are checked as train checks them, and named as flags (not as the imported file).
    r = await runCli(['import', file('m.safetensors'), '--vocab', file('m.vocab.txt'), '--out', file('x.egru'), '--surrogate-support', '0']);
    expect(r.stderr).toMatch(/^neuromap: --surrogate-support must be greater than 0 \(got 0\)$/m);
    r = await runCli(['import', file('m.safetensors'), '--vocab', file('m.vocab.txt'), '--out', file('x.egru'), '--surrogate-gamma', '-1']);
    expect(r.stderr).toMatch(/^neuromap: --surrogate-gamma must be/m);
    expect(r.stderr).not.toMatch(/safetensors/);
    expect(fs.existsSync(file('x.egru'))).toBe(false);
  });
});
