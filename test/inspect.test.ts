import * as fs from 'fs';
import * as path from 'path';
import { Packr } from 'msgpackr';
import { describers, inspectFile } from '../cli/commands/inspect';
import { formatTable } from '../format/table';
import { UserError } from '../models/config';
import { exportEvnn } from '../models/evnn';
import { saveModel } from '../models/file';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const tmp = useTempDir();
const file = (name: string) => path.join(tmp(), name);

describe('inspect', () => {
  it('shows config, per-matrix sparsity with masks, vocabulary, provenance, metrics and training state', () => {
    saveModel(file('m.egru'), randomModel(fixtureConfig(), { sparsity: 0.5, training: true }));
    const text = inspectFile(file('m.egru'));
    expect(text).toMatch(/neuromap model \(neuromap-egru, format version 2\)/);
    expect(text).toMatch(/layers +5, 4/);
    expect(text).toMatch(/parameters +\d+/);
    expect(text).toMatch(/layers\.0\.kernel +6×15 +\d+ +90 +\d+\.\d% +yes \(keeps \d+\)/);
    expect(text).toMatch(/embedding +12×6 +72 +72 +0\.0% +-/);
    expect(text).toMatch(/vocabulary: 12 words: <eos> <unk> w2/);
    expect(text).toMatch(/settings\.weightDecay +0\.1/);
    expect(text).toMatch(/activity\.layers +\[0\.2, 0\.3\]/);
    expect(text).toMatch(/training state: present \(optimizer, rng, data\)/);
  });

  it('recognises safetensors files by their header', () => {
    exportEvnn(randomModel(), file('m.safetensors'));
    expect(inspectFile(file('m.safetensors'))).toMatch(/safetensors, 17 tensors[\s\S]*decoder\.decoder\.weight +F32 +12×4/);
  });

  it('dispatches on the format name and names the ones it knows for an unknown one', () => {
    fs.writeFileSync(file('x.other'), new Packr().pack({ format: 'neuromap-other', version: 1 }));
    expect(() => inspectFile(file('x.other'))).toThrow(UserError);
    expect(() => inspectFile(file('x.other'))).toThrow(/'neuromap-other' file, which this neuromap cannot show \(it knows neuromap-egru, neuromap-nmap and safetensors\)/);
    describers['neuromap-other'] = (record) => `another kind, version ${record.version}`;
    try {
      expect(inspectFile(file('x.other'))).toBe('another kind, version 1');
    } finally {
      delete describers['neuromap-other'];
    }
  });

  it('reports a newer model file version clearly', () => {
    fs.writeFileSync(file('new.egru'), new Packr().pack({ format: 'neuromap-egru', version: 3 }));
    expect(() => inspectFile(file('new.egru'))).toThrow(/newer neuromap \(format version 3, this one reads 2\)/);
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numbers and draws a rule under the header', () => {
    const text = formatTable([['a', 1], ['long name', 12345]], { header: ['name', 'n'], indent: 2 });
    expect(text.split('\n')).toEqual(['  name            n', '  ---------  ------', '  a               1', '  long name  12,345']);
  });

  it('counts γ and × as one column each', () => {
    expect(formatTable([['γ×', 'x'], ['ab', 'y']]).split('\n')).toEqual(['γ×  x', 'ab  y']);
  });
});
