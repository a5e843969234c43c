/**
 * The host's side of a token (simulator/host.ts), by hand: with the decoder on chip it only normalises the
 * logits it receives; with the decoder on the host it runs the projection (ReLU) and the decoder on the events
 * it receives, counting as MACs the non-zero weights of the active inputs' rows only.
 */
import type { HostModel } from '../simulator/from-nmap';
import { HostSide } from '../simulator/host';
import { UserError } from '../models/config';
import { MapBuilder } from './helpers/map-builder';
import { fixtureConfig } from './fixtures/model';
import { loadTarget } from '../targets/load';

const tiny = loadTarget('tiny');

/** embedding (host) → layer0 (chip, 2 units) → [projection (2 units)] → decoder (3 logits), each where given. */
function hostSide(decoderWhere: 'chip' | 'host', tensors: Record<string, Float32Array>, projection = 2) {
  const b = new MapBuilder(tiny);
  const emb = b.population({ name: 'embedding', kind: 'embedding', where: 'host', size: 2, slots: 1, inputs: [] });
  const layer = b.population({ name: 'layer0', kind: 'egru', where: 'chip', size: 2, slots: 4, inputs: [emb] });
  let last = layer;
  if (projection) last = b.population({ name: 'projection', kind: 'relu', where: decoderWhere, size: projection, slots: 1, inputs: [layer] });
  b.population({ name: 'decoder', kind: 'linear', where: decoderWhere, size: 3, slots: 1, inputs: [last] });
  const config = fixtureConfig({ vocabSize: 3, emb: 2, layers: [2], projection });
  const host: HostModel = { config, vocab: ['a', 'b', 'c'], embedding: new Float32Array(6), tensors, events: [] };
  return new HostSide(host, b.build());
}

/**
 * Projection W (input-major [2, 2]): input 0 → [1, −1], input 1 → [2, 0.5], bias [0, 0.5].
 * Decoder W ([2, 3]): input 0 → [1, 0, −1], input 1 → [0.5, 0.5, 0.5], bias [0, 0.1, 0.2].
 * Non-zero weights per row: projection 2 and 2, decoder 2 and 3.
 */
const head = () => ({
  'projection.weight': Float32Array.of(1, -1, 2, 0.5), 'projection.bias': Float32Array.of(0, 0.5),
  'decoder.weight': Float32Array.of(1, 0, -1, 0.5, 0.5, 0.5), 'decoder.bias': Float32Array.of(0, 0.1, 0.2),
});

describe('decoder on chip: the host receives every logit', () => {
  it('log p(target) = logit − log Σ exp(logits), whatever order the logits arrive in', () => {
    const host = hostSide('chip', {}, 0);
    expect(host.layers).toEqual([]);
    expect(host.from).toBe(2);
    // Logits [1, 2, 0]: Σ exp = e + e² + 1 = 11.1073379, log = 2.4076060.
    host.receive(2, 0), host.receive(0, 1), host.receive(1, 2);
    expect(host.logProb(1)).toBeCloseTo(2 - 2.407605964, 6);
    host.receive(1, 2), host.receive(0, 1), host.receive(2, 0);
    expect(host.logProb(0)).toBeCloseTo(1 - 2.407605964, 6);
    expect(host.macs()).toBe(0);
    expect(host.weights()).toBe(0);
  });

  it('normalises from the largest logit, so large logits do not overflow', () => {
    // Logits [1000, 0, −1000]: p(0) = 1 / (1 + e^−1000 + e^−2000) = 1 to double precision, log 0. Subtracting any
    // other logit first would take exp of 1000 or more: Infinity.
    const host = hostSide('chip', {}, 0);
    host.receive(0, 1000), host.receive(1, 0), host.receive(2, -1000);
    expect(host.logProb(0)).toBeCloseTo(0, 12);
  });

  // An internal error (the engine delivers every logit before it asks), not a user's.
  it('refuses to score a token whose logits did not all arrive', () => {
    const host = hostSide('chip', {}, 0);
    host.receive(0, 1), host.receive(2, 1);
    expect(() => host.logProb(0)).toThrow(/^the host received 2 of 3 logits$/);
  });
});

describe('decoder and projection on the host', () => {
  it('runs the projection with ReLU and the decoder on the active inputs, token after token', () => {
    const host = hostSide('host', head());
    expect(host.from).toBe(1);
    expect(host.layers.map((l) => l.name)).toEqual(['projection', 'decoder']);
    // 2 × 2 projection weights and 2 × 3 decoder weights.
    expect(host.weights()).toBe(10);

    // Token 1: layer0's units 0 and 1 fire with 1 each. Projection: [0 + 1 + 2, 0.5 − 1 + 0.5] = [3, 0]; the
    // ReLU leaves unit 0 active (3) and unit 1 exactly 0, inactive. Decoder: bias + 3 × [1, 0, −1] = [3, 0.1, −2.8];
    // log p(0) = 3 − log(e³ + e^0.1 + e^−2.8) = −0.0564283.
    host.receive(0, 1), host.receive(1, 1);
    expect(host.logProb(0)).toBeCloseTo(-0.0564283236, 5);
    // MACs: projection rows 0 and 1, 2 + 2 = 4, all from ±1 inputs; decoder row 0 only: 2, from an input of 3.
    expect(host.layers.map((l) => [l.macs, l.binaryMacs, l.activeInputs])).toEqual([[4, 4, 2], [2, 0, 1]]);

    // Token 2: an event of value 0 from unit 0 (carries nothing), unit 1 fires with 1. Projection:
    // [0 + 2, 0.5 + 0.5] = [2, 1], both active. Decoder: [0 + 2 + 0.5, 0.1 + 0 + 0.5, 0.2 − 2 + 0.5] =
    // [2.5, 0.6, −1.3]; log p(2) = −1.3 − log(e^2.5 + e^0.6 + e^−1.3) = −3.9586600.
    host.receive(0, 0), host.receive(1, 1);
    expect(host.logProb(2)).toBeCloseTo(-3.95865997572, 5);
    // MACs: projection row 1: 2 (from a 1: binary); decoder rows 0 and 1: 2 + 3 = 5 (inputs 2 and 1: not binary).
    expect(host.layers.map((l) => [l.macs, l.binaryMacs, l.activeInputs])).toEqual([[6, 6, 3], [7, 0, 3]]);
    expect(host.macs()).toBe(13);
  });

  it('refuses host tensors of another shape than the layer (a map file\'s are not checked on load)', () => {
    // The decoder is 2 inputs × 3 words: 6 weights, 3 biases; the projection 2 × 2: 4 and 2. A fourth decoder
    // bias would be a fourth logit in the softmax (log p of every word lower); a decoder weight short by one
    // would read past its end for input 1's last word (NaN). Before this check both simulated without a word.
    const refused = (change: Record<string, Float32Array>) => () => hostSide('host', { ...head(), ...change });
    expect(refused({ 'decoder.bias': Float32Array.of(0, 0.1, 0.2, 5) })).toThrow(
      /^the map's host decoder has 6 weights and a bias of 4; a 2×3 layer has 6 weights and a bias of 3$/);
    expect(refused({ 'decoder.weight': Float32Array.of(1, 0, -1, 0.5, 0.5) })).toThrow(
      /^the map's host decoder has 5 weights and a bias of 3; a 2×3 layer has 6 weights and a bias of 3$/);
    // A weight one too long is refused too (its extra value would never be read, but the file is not the model).
    expect(refused({ 'decoder.weight': Float32Array.of(1, 0, -1, 0.5, 0.5, 0.5, 9) })).toThrow(
      /^the map's host decoder has 7 weights and a bias of 3; a 2×3 layer has 6 weights and a bias of 3$/);
    expect(refused({ 'projection.weight': Float32Array.of(1, -1, 2) })).toThrow(
      /^the map's host projection has 3 weights and a bias of 2; a 2×2 layer has 4 weights and a bias of 2$/);
    expect(refused({ 'projection.bias': Float32Array.of(0) })).toThrow(
      /^the map's host projection has 4 weights and a bias of 1; a 2×2 layer has 4 weights and a bias of 2$/);
    expect(refused({})).not.toThrow();
  });

  it('refuses a map that runs the projection on the host without its tensors', () => {
    const { 'projection.weight': _, ...rest } = head();
    expect(() => hostSide('host', rest)).toThrow(/^the map runs projection on the host but holds no projection tensors: recompile it from its model$/);
    expect(() => hostSide('host', rest)).toThrow(UserError);
  });
});
