/**
 * The Activity that computes the model (simulator/model-activity.ts), driven by hand without the engine: a
 * hand-made map (embedding of 2 on the host → layer0, 3 EGRU units on two cores, the second holding units 1
 * and 2 → a decoder of 2 logits on chip) and accumulators written out literally, so that every count it keeps
 * (events per token and unit, the raster, the binary-value flags, membrane updates, log-probabilities) is known.
 */
import { ModelActivity } from '../simulator/model-activity';
import { fireBuffer } from '../simulator/activity';
import type { HostModel } from '../simulator/from-nmap';
import { loadTarget } from '../targets/load';
import { MapBuilder } from './helpers/map-builder';
import { fixtureConfig } from './fixtures/model';

const tiny = loadTarget('tiny');
const LN3 = Math.log(3);
/** layer0's index in the map, the populations (embedding, layer0, decoder), and the global source of decoder unit 0 (sources: embedding 0–1, layer0 2–4, decoder 5–6). */
const LAYER = 1, P = 3, LOGIT0 = 5;

/**
 * The map and the host model. Layer0's biases are 0 and its thresholds 0.5; `bare` leaves core 0 without
 * biases and core 1 without thresholds. Embedding rows ([V = 2, E = 2]): token 0 → [1, −1], token 1 → [0.5, 0].
 */
function activity(ids: number[], tokens: number, bare = false): ModelActivity {
  const b = new MapBuilder(tiny);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 2, slots: 1, inputs: [] });
  const layer = b.population({ name: 'layer0', kind: 'egru', where: 'chip', size: 3, slots: 4, inputs: [emb] });
  const dec = b.population({ name: 'decoder', kind: 'linear', where: 'chip', size: 2, slots: 1, inputs: [layer] });
  b.toHost(dec);
  b.core({ core: 0, population: layer, unitStart: 0, unitEnd: 1, thr: Float32Array.of(0.5), ...(bare ? {} : { bias: new Float32Array(4) }) });
  b.core({ core: 1, population: layer, unitStart: 1, unitEnd: 3, bias: new Float32Array(8), ...(bare ? {} : { thr: Float32Array.of(0.5, 0.5) }) });
  b.core({ core: 2, population: dec, unitStart: 0, unitEnd: 2, bias: new Float32Array(2) });
  const config = fixtureConfig({ vocabSize: 2, emb: 2, layers: [3], projection: 0 });
  const float = { kind: 'float' } as const;
  const host: HostModel = { config, vocab: ['a', 'b'], embedding: Float32Array.of(1, -1, 0.5, 0), tensors: {}, events: [float, float, float] };
  return new ModelActivity(b.build(), host, Int32Array.from(ids), tokens, new Int32Array(P));
}

/**
 * Core 1's accumulators (slots z, r, gx, gh per unit): local unit 0 receives nothing; local unit 1 (global 2)
 * gets A_z = −ln 3, A_gx = ln 3: z = σ(−ln 3) = 1/4, g = tanh(ln 3) = 0.8, c = 1/4 · h + 3/4 · 0.8 = 1/4 · h + 0.6.
 */
const fires = () => Float32Array.of(0, 0, 0, 0, -LN3, 0, LN3, 0);

describe('ModelActivity by hand', () => {
  it('needs tokens + 1 ids: token t predicts id t + 1', () => {
    expect(() => activity([0, 1], 2)).toThrow('2 tokens need 3 ids, got 2');
  });

  it('two tokens: host rows, EGRU events per unit and token, raster, binary flags, membrane updates, log p', () => {
    const a = activity([0, 1, 0], 2);
    expect(a.binaryByToken).toEqual(Uint8Array.of(1, 1, 1, 1, 1, 1)); // tokens × populations, all 1 until a value says otherwise
    expect(a.raster).toEqual([[[], []], [[], []], [[], []]]); // min(2 tokens, 40) per population

    // Step 0 = token 0 (sequential: every lag 0).
    const host = fireBuffer(4);
    a.host(0, host); // row of token 0: [1, −1], both non-zero, both ±1
    expect([...host.ids.subarray(0, host.count)]).toEqual([0, 1]);
    expect([...host.values.subarray(0, host.count)]).toEqual([1, -1]);
    const idle = fireBuffer(4);
    a.update(0, 0, new Float32Array(4), 1, 4, idle); // core 0: unit 0 receives nothing, h = 0: c = 0 ≤ 0.5
    expect(idle.count).toBe(0);
    const out = fireBuffer(4);
    a.update(1, 0, fires(), 2, 4, out); // h = 0: c = 0.6 > 0.5, event 0.6 of local unit 1, h = 0.1
    expect(out.count).toBe(1);
    expect(out.ids[0]).toBe(1);
    expect(out.values[0]).toBeCloseTo(0.6, 6);
    const logits = fireBuffer(2);
    a.update(2, 0, Float32Array.of(1, -1), 2, 1, logits); // logits 1 and −1: ±1 only
    expect([...logits.values]).toEqual([1, -1]);
    a.receive(0, LOGIT0, 0);
    a.receive(0, LOGIT0 + 1, LN3);
    expect(a.endStep(0)).toBe(0); // no host-side layers: no host MACs
    // log p(id 1) = ln 3 − ln(e^0 + e^ln 3) = ln(3/4)
    expect(a.logProbs[0]).toBeCloseTo(Math.log(3 / 4), 6);

    // Step 1 = token 1.
    a.host(1, host); // row of token 1: [0.5, 0]: one value, not ±1
    expect([...host.ids.subarray(0, host.count)]).toEqual([0]);
    expect(host.values[0]).toBe(0.5);
    a.update(0, 1, new Float32Array(4), 1, 4, fireBuffer(4));
    const again = fireBuffer(4);
    a.update(1, 1, fires(), 2, 4, again); // h = 0.1: c = 0.025 + 0.6 = 0.625 > 0.5, event 0.625, h = 0.125
    expect(again.count).toBe(1);
    expect(again.values[0]).toBeCloseTo(0.625, 6);
    a.update(2, 1, Float32Array.of(0.5, 0), 2, 1, fireBuffer(2)); // logits 0.5 and 0: 0.5 is not ±1
    a.receive(1, LOGIT0, 0);
    a.receive(1, LOGIT0 + 1, 0);
    expect(a.endStep(1)).toBe(0);
    expect(a.logProbs[1]).toBeCloseTo(Math.log(1 / 2), 6); // log p(id 0) with equal logits
    // Step 2 is past the last token: nothing is sent or predicted.
    a.host(2, host);
    expect(host.count).toBe(0);
    expect(a.endStep(2)).toBe(0);

    expect(a.hostInjected).toBe(3); // 2 values of token 0, 1 of token 1
    expect([...a.unitEvents[LAYER]]).toEqual([0, 0, 2]); // global unit 2 fired at both tokens
    expect(a.raster[LAYER]).toEqual([[2], [2]]);
    expect([...a.eventsByToken]).toEqual([0, 1, 2, 0, 1, 2]); // token-major: embedding (not counted here), layer0, decoder
    expect([...a.events()]).toEqual([0, 2, 4]);
    // Token 0: embedding ±1 (1), layer0 sent 0.6 (0), decoder ±1 (1). Token 1: 0.5, 0.625 and 0.5 sent: all 0.
    expect([...a.binaryByToken]).toEqual([1, 0, 1, 0, 0, 0]);
    // Token 0 counts all 3 units; token 1 adds the units whose state changed, only global unit 2 (0.1 → 0.125): 3 + 1.
    expect(a.membraneUpdates).toBe(4);
  });

  it('the raster keeps the first 40 tokens (RASTER_TOKENS) only; events past them still count', () => {
    const a = activity(new Array(42).fill(0), 41);
    expect(a.raster[LAYER].length).toBe(40);
    a.update(1, 39, fires(), 2, 4, fireBuffer(4)); // token 39: first event of global unit 2 (h = 0)
    a.update(1, 40, fires(), 2, 4, fireBuffer(4)); // token 40: fires again (h = 0.1), past the raster
    expect(a.raster[LAYER][39]).toEqual([2]);
    expect(a.raster[LAYER].length).toBe(40);
    expect([...a.unitEvents[LAYER]]).toEqual([0, 0, 2]);
    expect(a.eventsByToken[40 * P + LAYER]).toBe(1);
  });

  it('says which core lacks its biases or thresholds, and which population the host did not expect', () => {
    const bare = activity([0, 1, 0], 2, true);
    expect(() => bare.update(0, 0, new Float32Array(4), 1, 4, fireBuffer(4))).toThrow('core 0 (layer0) holds no biases');
    expect(() => bare.update(1, 0, new Float32Array(8), 2, 4, fireBuffer(4))).toThrow('core 1 (layer0) holds no thresholds');
    const a = activity([0, 1, 0], 2);
    expect(() => a.receive(0, 2, 0.5)).toThrow('the host received an event of layer0, it listens to decoder');
  });
});
