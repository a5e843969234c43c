/**
 * What lower (compiler/lower.ts) records besides the synapses: population names, the host's tensors, whether and
 * on what the activity was measured, and the note that says so. The fixture model: embedding 6, layers 5 and 4,
 * vocabulary 12, no projection.
 */
import { lower } from '../compiler/lower';
import { DEFAULT_OPTIONS } from '../compiler/pipeline';
import { loadTarget } from '../targets/load';
import { randomModel } from './fixtures/model';

const tiny = loadTarget('tiny');
const model = randomModel();
const lowered = (options: Partial<typeof DEFAULT_OPTIONS>) => lower(model, tiny, { ...DEFAULT_OPTIONS, ...options });
const infos = (ir: ReturnType<typeof lowered>) => ir.diagnostics.filter((d) => d.pass === 'lower' && d.level === 'info').map((d) => d.message);

describe('lower, besides the synapses', () => {
  it('names the populations as reports do: embedding, layer0, layer1, decoder', () => {
    expect(lowered({}).populations.map((p) => p.name)).toEqual(['embedding', 'layer0', 'layer1', 'decoder']);
  });

  it('hands the decoder’s tensors to the host only when the decoder runs there', () => {
    expect(Object.keys(lowered({ decoder: 'host' }).model.host).sort()).toEqual(['decoder.bias', 'decoder.weight']);
    expect(lowered({ decoder: 'chip' }).model.host).toEqual({});
  });

  it('without calibration text: not calibrated, every unit assumed to fire, and a note that says how to measure', () => {
    const ir = lowered({});
    expect(ir.calibrated).toBe(false);
    expect(Array.from(ir.populations[1].activity)).toEqual([1, 1, 1, 1, 1]);
    expect(infos(ir)).toContain('no calibration text: every unit is assumed to fire every step (pass --calibrate TEXTFILE to measure activity)');
  });

  it('with calibration text: calibrated, and the note counts the tokens read (20 ids: 19 read, each with a next one)', () => {
    const ir = lowered({ calibration: Int32Array.from({ length: 20 }, (_, i) => i % 12) });
    expect(ir.calibrated).toBe(true);
    expect(infos(ir)).toContain('activity measured on 19 calibration tokens');
  });
});
