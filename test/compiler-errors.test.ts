/**
 * The compiler's refusals: a model that does not fit (with numbers, the limit, and what would help), an EGRU
 * on binary-spike targets unless bit-plane encoding is asked for, and wrong arithmetic or cell choices.
 */
import { compile } from '../compiler';
import { loadTarget, validateTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';
import { errorOf } from './helpers/errors';

const tiny = loadTarget('tiny');


describe('a model that does not fit', () => {
  it('names the unit, the bytes it needs and a core has, and what would help', () => {
    // 8 + 50 sources, 3 synapses each (one per gate): 58 fp32 rows of 20 bytes (+ 8 of state) exceed tiny's 1,024 bytes.
    const model = randomModel(fixtureConfig({ emb: 8, layers: [50], vocabSize: 4 }));
    const message = errorOf(() => compile(model, tiny));
    expect(message).toMatch(/^the model does not fit tiny: layer0 unit 0 alone needs 1,168 bytes of core memory .*a core has 1,024/);
    expect(message).toMatch(/What would help: more pruning .*smaller layers.*narrower weights \(--arith int8\)/);
    // int8 synapses take 16 bits: rows of 12 bytes, and the unit fits; the whole map then needs more cores than tiny has.
    expect(errorOf(() => compile(model, tiny, { arith: 'int8' }))).toMatch(
      /it needs 2\d cores \([34] chips of 8\), 2 chips give 16 and the target allows at most 2 chips\. What would help: more chips \(--chips\); more pruning/,
    );
  });

  it('counts cores against the chips asked for and the most the target allows', () => {
    const model = randomModel(fixtureConfig({ emb: 6, layers: [10, 10], vocabSize: 12 }));
    const one = errorOf(() => compile(model, tiny, { chips: 1 }));
    expect(one).toMatch(/does not fit tiny: it needs 10 cores \(2 chips of 8\), 1 chip gives 8\. What would help: --chips 2; more chips/);
    expect(compile(model, tiny).chips).toBe(2);
    expect(errorOf(() => compile(model, tiny, { chips: 3 }))).toMatch(/--chips 3: target tiny has at most 2 chips/);
    const small = compile(randomModel(), tiny, { chips: 2 });
    expect([small.chips, small.cores.every((c) => c.chip === 0)]).toEqual([2, true]);
  });

  it('checks routing-table capacity', () => {
    const data = JSON.parse(JSON.stringify(tiny));
    data.routing.table_entries.value = 2;
    const cramped = validateTarget({ ...data, name: 'cramped' }, 'cramped');
    expect(errorOf(() => compile(randomModel(), cramped))).toMatch(/routing table of group \d+ needs \d entries, it holds 2\. What would help: more chips/);
  });
});

describe('events and arithmetic', () => {
  const model = randomModel(fixtureConfig(), { sparsity: 0.5 });

  it('refuses an EGRU on Loihi (binary spikes, no EGRU unit) and names --binary-encoding', () => {
    const message = errorOf(() => compile(model, loadTarget('loihi')));
    expect(message).toMatch(/target loihi cannot run the EGRU unit: fixed current-based LIF compartments.*Pass --binary-encoding to send each event as up to 8 binary spikes \(bit-planes/);
  });

  it('names routes as the target delivers them: multicast on tiny, one message per destination core on loihi2', () => {
    const routeNote = (ir: ReturnType<typeof compile>) => ir.diagnostics.find((d) => d.pass === 'route')?.message ?? '';
    expect(routeNote(compile(model, tiny))).toMatch(/^\d+ multicast routes, /);
    expect(routeNote(compile(model, loadTarget('loihi2')))).toMatch(/^\d+ routes \(sent as one message per destination core, each along its dimension-order path\), /);
  });

  it('compiles for Loihi with bit-plane encoding, saying what is approximated', () => {
    const ir = compile(model, loadTarget('loihi'), { binaryEncoding: true });
    expect(ir.ctx.encoding).toBe('bit-planes');
    expect(ir.neurons.find((n) => n.event.kind === 'planes')?.event).toMatchObject({ kind: 'planes', planes: 8 });
    expect(ir.cores[0].rowPlane).toBeInstanceOf(Uint8Array);
    expect(ir.diagnostics.find((d) => d.level === 'warning')?.message).toMatch(/cannot compute the EGRU gates.*charges them as neuron updates/);
  });

  it('refuses binary spikes on a target that can run the unit unless asked, and the flag where events are graded', () => {
    expect(errorOf(() => compile(model, tiny, { arith: 'binary' }))).toMatch(/arithmetic binary of target tiny has binary spikes only, but EGRU events are graded\. Pass --binary-encoding/);
    expect(errorOf(() => compile(model, tiny, { arith: 'fp32', binaryEncoding: true }))).toMatch(/carries graded events \(32-bit payload\).*drop the flag/);
    const data = JSON.parse(JSON.stringify(tiny));
    delete data.neuron.binary_encoding;
    const plain = validateTarget({ ...data, name: 'plain' }, 'plain');
    expect(errorOf(() => compile(model, plain, { arith: 'binary', binaryEncoding: true }))).toMatch(/describes no binary encoding/);
  });

  it('uses the target’s default arithmetic: fp32 on spinnaker2, int8 on loihi2', () => {
    expect(compile(model, loadTarget('spinnaker2')).ctx.arithName).toBe('fp32');
    const l2 = compile(model, loadTarget('loihi2'));
    expect(l2.ctx.arithName).toBe('int8');
    expect(l2.weights.find((w) => w)!.values).toBeInstanceOf(Int8Array);
  });

  it('names the arithmetics a target has, and refuses dense cells', () => {
    expect(errorOf(() => compile(model, tiny, { arith: 'int4' }))).toMatch(/target tiny has no arithmetic "int4"; it supports fp32, int8, binary/);
    expect(errorOf(() => compile(model, tiny, { arith: 'constructor' }))).toMatch(/target tiny has no arithmetic "constructor"; it supports fp32, int8, binary/);
    expect(errorOf(() => compile(randomModel(fixtureConfig({ cell: 'gru' })), tiny))).toMatch(/maps event-based GRU \(egru\) models; this model's cell is gru/);
  });
});

describe('bit planes per event (--planes)', () => {
  // Dense, emb 5, one layer of 14: each unit's synapses come from 5 + 14 = 19 sources, an axon per source and plane.
  // tiny's 4 planes need 76 input axons, a core has 64; 3 planes need 57 and fit.
  const model = randomModel(fixtureConfig({ emb: 5, layers: [14], vocabSize: 6 }));
  const binary = { arith: 'binary', binaryEncoding: true, decoder: 'host' } as const;

  it('a unit over the fan-in with the target’s planes is refused with the plane count that would help', () => {
    const message = errorOf(() => compile(model, tiny, binary));
    expect(message).toMatch(/layer0 unit \d+ alone needs 76 input axons, a core has 64 \(fan-in\)\. What would help: fewer bit planes per event \(--planes 3 or less; now 4: coarser events\)/);
  });

  it('compiles with fewer planes: every event quantised to that many bits, one synapse row per source and plane', () => {
    const ir = compile(model, tiny, { ...binary, planes: 3 });
    expect(ir.ctx.planes).toBe(3);
    expect(ir.neurons.filter((n) => n.event.kind === 'planes').map((n) => (n.event.kind === 'planes' ? n.event.planes : 0))).toEqual([3, 3]);
    expect(Math.max(...ir.cores.map((c) => (c.rowPlane ? Math.max(...c.rowPlane) : 0)))).toBe(2);
    expect(ir.diagnostics.some((d) => /3 of the target's 4 planes: events quantised to 3 bits/.test(d.message))).toBe(true);
  });

  it('refuses a plane count the target does not have, and --planes where events are graded', () => {
    expect(errorOf(() => compile(model, tiny, { ...binary, planes: 5 }))).toMatch(/--planes must be a whole number from 2 to 4 \(tiny's bit planes\); got 5/);
    expect(errorOf(() => compile(model, tiny, { ...binary, planes: 0 }))).toMatch(/from 2 to 4/);
    expect(errorOf(() => compile(model, tiny, { ...binary, planes: 2.5 }))).toMatch(/from 2 to 4/);
    expect(errorOf(() => compile(model, tiny, { ...binary, planes: 1 }))).toMatch(/from 2 to 4 \(tiny's bit planes\): the embedding's events are signed, .*with 1 every embedding value would round to 0\); got 1$/);
    expect(errorOf(() => compile(model, tiny, { arith: 'fp32', planes: 3 }))).toMatch(/--planes sets the bit planes of --binary-encoding; fp32 on tiny carries graded events/);
  });
});
