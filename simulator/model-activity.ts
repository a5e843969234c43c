/**
 * The Activity that computes the model for real: the host injects each token's embedding (its non-zero
 * values), every core runs its units' arithmetic (neurons.ts) on the accumulators its synaptic ops filled,
 * and the host turns what it receives into log p(next token). With fp32 maps this is what
 * `neuromap eval` computes (models/evaluate.ts): batch 1, zero initial state, token t predicts t + 1.
 *
 * Under a pipelined schedule population p works at step s on token s − lag[p]; outside 0 … tokens−1 it
 * does nothing (its state stays as it was, zero before the first token).
 *
 * In a bit-plane map the host receives an event of the population it listens to as spikes, each worth its
 * plane (±2^k · scale, engine.ts): it adds them up, so the head sees the event's value.
 */
import { RASTER_TOKENS } from '../models/evaluate';
import type { Activity, FireBuffer } from './activity';
import type { HostModel } from './from-nmap';
import { HostSide } from './host';
import type { SimMap } from './map';
import { egruUpdate, encoder, linearUpdate, reluUpdate, type Encode } from './neurons';

export class ModelActivity implements Activity {
  /** log p(ids[t + 1]) for every token t. */
  readonly logProbs: Float64Array;
  /** Events emitted per token and population: eventsByToken[t · P + p]. */
  readonly eventsByToken: Float64Array;
  /** Non-zero embedding values injected (the first layer's active inputs), Σ over tokens. */
  hostInjected = 0;
  /**
   * Per token and population: 1 when every value it sent that token was 0 or ±1 (NeuroBench's AC test, applied
   * to the inputs its events feed; models/neurobench.ts). The embedding's entry is the injected row's.
   */
  readonly binaryByToken: Uint8Array;
  /** Per population, each EGRU unit's events over the run (unit order of the population; zeros for other kinds). */
  readonly unitEvents: Float64Array[];
  /** Per population, the EGRU units that fired at each of the first RASTER_TOKENS tokens (empty for other kinds). */
  readonly raster: number[][][];
  /** Σ over tokens of EGRU units whose state changed, the first token counting every unit (NeuroBench's MembraneUpdates). */
  membraneUpdates = 0;
  readonly head: HostSide;
  private readonly P: number;
  private readonly encode: Encode[];
  private readonly state: (Float32Array | null)[];
  private readonly popOf: Int32Array;
  private readonly embeddingPop: number;
  /** Bit-plane input of the head: the sum so far of each unit's spikes this step (null: events arrive whole). */
  private readonly partial: Float32Array | null;

  constructor(
    private readonly map: SimMap, private readonly model: HostModel, private readonly ids: Int32Array,
    readonly tokens: number, private readonly lag: Int32Array,
  ) {
    if (ids.length < tokens + 1) throw new Error(`${tokens} tokens need ${tokens + 1} ids, got ${ids.length}`);
    this.P = map.populations.length;
    this.logProbs = new Float64Array(tokens);
    this.eventsByToken = new Float64Array(tokens * this.P);
    this.binaryByToken = new Uint8Array(tokens * this.P).fill(1);
    this.unitEvents = map.populations.map((p) => new Float64Array(p.size));
    this.raster = map.populations.map(() => Array.from({ length: Math.min(tokens, RASTER_TOKENS) }, () => []));
    this.encode = model.events.map(encoder);
    this.state = map.cores.map((c) => (map.populations[c.population].kind === 'egru' ? new Float32Array(c.unitEnd - c.unitStart) : null));
    this.popOf = new Int32Array(map.sources);
    map.populations.forEach((p, i) => this.popOf.fill(i, p.sourceBase, p.sourceBase + p.size));
    this.embeddingPop = map.populations.findIndex((p) => p.kind === 'embedding');
    this.head = new HostSide(model, map);
    const from = map.populations[this.head.from];
    this.partial = from.spikes ? new Float32Array(from.size) : null;
  }

  host(step: number, out: FireBuffer): void {
    out.count = 0;
    if (step >= this.tokens) return;
    const E = this.model.config.emb;
    const row = this.ids[step] * E;
    const emb = this.model.embedding, base = this.map.populations[this.embeddingPop].sourceBase;
    const encode = this.encode[this.embeddingPop];
    let n = 0;
    for (let e = 0; e < E; e++) {
      const v = emb[row + e] === 0 ? 0 : encode(emb[row + e]);
      if (v !== 0) (out.ids[n] = base + e), (out.values[n++] = v);
    }
    out.count = n;
    this.hostInjected += n;
    this.noteValues(step, this.embeddingPop, out);
  }

  update(core: number, step: number, acc: Float32Array, units: number, _slots: number, out: FireBuffer): void {
    const c = this.map.cores[core];
    const p = c.population;
    const token = step - this.lag[p];
    if (token < 0 || token >= this.tokens) {
      out.count = 0;
      out.active = 0;
      return;
    }
    const kind = this.map.populations[p].kind;
    if (!c.bias) throw new Error(`core ${c.core} (${this.map.populations[p].name}) holds no biases`);
    if (kind === 'egru') {
      if (!c.thr) throw new Error(`core ${c.core} (${this.map.populations[p].name}) holds no thresholds`);
      egruUpdate(acc, c.bias, c.thr, this.state[core]!, units, this.encode[p], out);
      // NeuroBench's first call counts every neuron: the first token starts from the zero state.
      this.membraneUpdates += token === 0 ? units : out.changed;
      const perUnit = this.unitEvents[p];
      for (let k = 0; k < out.count; k++) perUnit[c.unitStart + out.ids[k]]++;
      if (token < RASTER_TOKENS) for (let k = 0; k < out.count; k++) this.raster[p][token].push(c.unitStart + out.ids[k]);
    } else if (kind === 'relu') reluUpdate(acc, c.bias, units, this.encode[p], out);
    else linearUpdate(acc, c.bias, units, this.encode[p], out);
    this.eventsByToken[token * this.P + p] += out.count;
    this.noteValues(token, p, out);

  }

  private noteValues(token: number, p: number, out: FireBuffer): void {
    for (let k = 0; k < out.count; k++) {
      const v = out.values[k];
      if (v !== 1 && v !== -1) {
        this.binaryByToken[token * this.P + p] = 0;
        return;
      }
    }
  }

  receive(_step: number, source: number, value: number): void {
    const p = this.popOf[source];
    if (p !== this.head.from) throw new Error(`the host received an event of ${this.map.populations[p].name}, it listens to ${this.map.populations[this.head.from].name}`);
    const unit = source - this.map.populations[p].sourceBase;
    this.head.receive(unit, this.partial ? (this.partial[unit] += value) : value);
  }

  endStep(step: number): number {
    this.partial?.fill(0);
    const token = step - this.lag[this.head.from];
    if (token < 0 || token >= this.tokens) return 0;
    const before = this.head.macs();
    this.logProbs[token] = this.head.logProb(this.ids[token + 1]);
    return this.head.macs() - before;
  }

  /** Events per population over the whole run. */
  events(): Float64Array {
    const out = new Float64Array(this.P);
    for (let t = 0; t < this.tokens; t++) for (let p = 0; p < this.P; p++) out[p] += this.eventsByToken[t * this.P + p];
    return out;
  }
}
