import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { targetsCommand } from '../cli/commands/targets';
import {
  arithmeticMode,
  barrierCost,
  chipXY,
  coreLocation,
  coresPerChip,
  egruObstacle,
  isAssumption,
  maxChips,
  opCost,
  packetBits,
  synapseRowBytes,
} from '../targets/derive';
import { listTargets, loadTarget, parseTarget, validateTarget } from '../targets/load';
import { formatQuantity, quantities } from '../targets/quantities';
import { OP_NAMES } from '../targets/schema';
import { useTempDir } from './fixtures/tmp';
import { errorOf } from './helpers/errors';

const TARGETS_DIR = path.join(__dirname, '..', 'targets');

/** The tiny target as plain data, to break one field at a time. */
function tinyData(): Record<string, any> /* any: tests reach into arbitrary fields to break them */ {
  return YAML.parse(fs.readFileSync(path.join(TARGETS_DIR, 'tiny.yaml'), 'utf8'));
}


describe('shipped targets', () => {
  it('lists the shipped targets', () => {
    expect(listTargets()).toEqual(expect.arrayContaining(['loihi', 'loihi2', 'spinnaker2', 'tiny']));
  });

  it.each(listTargets())('%s validates, is named after its file, and cites every number', (name) => {
    const t = loadTarget(name);
    expect(t.name).toBe(name);
    const rows = quantities(t);
    expect(rows.length).toBeGreaterThan(40);
    for (const r of rows) expect(r.source.trim().length).toBeGreaterThan(0);
    for (const op of OP_NAMES) expect(opCost(t, op).energy_j).toBeGreaterThanOrEqual(0);
  });

  it('gives Loihi the published numbers (Davies et al. 2018)', () => {
    const t = loadTarget('loihi');
    expect(coresPerChip(t)).toBe(128);
    expect(t.core.neurons.value).toBe(1024);
    expect(t.core.memory_bytes.value).toBe(128 * 1024);
    expect([t.core.fan_in.value, t.core.fan_out.value]).toEqual([4096, 4096]);
    expect(opCost(t, 'synaptic_op')).toEqual({ energy_j: 23.6e-12, latency_s: 3.5e-9 });
    expect(opCost(t, 'neuron_update_active')).toEqual({ energy_j: 81e-12, latency_s: 8.4e-9 });
    expect(opCost(t, 'neuron_update_idle')).toEqual({ energy_j: 52e-12, latency_s: 5.3e-9 });
    expect(opCost(t, 'hop_east_west')).toEqual({ energy_j: 3.0e-12, latency_s: 4.1e-9 });
    expect(opCost(t, 'hop_north_south')).toEqual({ energy_j: 4.0e-12, latency_s: 6.5e-9 });
    expect(barrierCost(t, 1)!.latency_s).toBeCloseTo(113e-9, 10);
    expect(barrierCost(t, 32)!.latency_s).toBeCloseTo(465e-9, 10);
    expect(arithmeticMode(t).event_payload_bits.value).toBe(0);
    expect(t.neuron.binary_encoding?.scheme).toBe('bit-planes');
    expect(t.clock_hz).toBeUndefined();
    expect(egruObstacle(t)).toMatch(/cannot run the EGRU unit/);
  });

  it('gives Loihi 2 graded int8 events and Loihi costs marked as assumptions', () => {
    const t = loadTarget('loihi2');
    expect(t.default_arithmetic).toBe('int8');
    expect(arithmeticMode(t).event_payload_bits.value).toBe(8);
    expect(t.core.neurons.value).toBe(8192);
    expect(t.core.memory_bytes.value).toBe(192 * 1024);
    expect(opCost(t, 'synaptic_op').energy_j).toBe(23.6e-12);
    expect(isAssumption(t.costs.synaptic_op.energy_j.source)).toBe(true);
    expect(egruObstacle(t)).toBeNull();
  });

  it('gives SpiNNaker2 152 PEs in quad-PE groups, fp32 by default, int8 on a 64-lane MAC array, a fixed tick', () => {
    const t = loadTarget('spinnaker2');
    expect(coresPerChip(t)).toBe(152);
    expect(t.topology.cores_per_group.value).toBe(4);
    expect(t.topology.chips_per_board.value).toBe(48);
    expect(t.routing).toMatchObject({ table_scope: 'chip', table_entries: { value: 16384 } });
    expect(t.default_arithmetic).toBe('fp32');
    expect(arithmeticMode(t).mac_accelerator).toBeUndefined();
    expect(arithmeticMode(t, 'int8').mac_accelerator?.lanes.value).toBe(64);
    // int8 synapses are cheaper than fp32 ones: the mode's override wins over the target's cost.
    expect(opCost(t, 'synaptic_op', 'int8').energy_j).toBeLessThan(opCost(t, 'synaptic_op').energy_j);
    expect(opCost(t, 'spike_out', 'int8')).toEqual(opCost(t, 'spike_out'));
    expect(t.timestep.scheme).toBe('fixed-tick');
    expect(barrierCost(t, 38)).toBeNull();
    expect(t.clock_hz?.value).toBe(150e6);
  });

  it('loads each file once and shares one frozen object', () => {
    const a = loadTarget('tiny');
    expect(loadTarget('tiny')).toBe(a);
    expect(Object.isFrozen(a.core.neurons)).toBe(true);
  });
});

describe('derived quantities on the tiny target', () => {
  const t = loadTarget('tiny');

  it('counts cores and locates them on the mesh and the board', () => {
    expect(coresPerChip(t)).toBe(8);
    expect(maxChips(t)).toBe(2);
    expect(coreLocation(t, 0)).toEqual({ chip: 0, x: 0, y: 0, core: 0 });
    expect(coreLocation(t, 5)).toEqual({ chip: 0, x: 0, y: 1, core: 1 });
    expect(coreLocation(t, 11)).toEqual({ chip: 1, x: 1, y: 0, core: 1 });
    expect(chipXY(t, 1)).toEqual({ x: 1, y: 0 });
  });

  it('sizes synapse rows in the target encoding, per arithmetic', () => {
    // fp32: 32 overhead bits + 3 × (32 weight + 8 index) bits = 152 bits → five 32-bit words.
    expect(synapseRowBytes(t, 3)).toBe(20);
    expect(synapseRowBytes(t, 1, 'int8')).toBe(8); // 32 + 16 = 48 bits → two words
  });

  it('prices the barrier by tiles and names unknown arithmetics', () => {
    expect(packetBits(t)).toBe(16 + 32);
    expect(packetBits(t, 'binary')).toBe(16);
    expect(barrierCost(t, 4)).toEqual({ latency_s: 10e-9 + 4e-9, energy_j: 4e-12 });
    expect(errorOf(() => arithmeticMode(t, 'fp16'))).toMatch(/no arithmetic "fp16".*fp32, int8, binary/);
    expect(egruObstacle(t, 'binary')).toMatch(/binary spikes only/);
  });

  it('formats numbers with SI prefixes', () => {
    expect(formatQuantity(23.6e-12, 'J')).toBe('23.6 pJ');
    expect(formatQuantity(1e-6, 's')).toBe('1 µs');
    expect(formatQuantity(150e6, 'Hz')).toBe('150 MHz');
    expect(formatQuantity(131072, 'B')).toBe('131,072 B');
  });
});

describe('bad target descriptions', () => {
  const label = 'targets/x.yaml';

  it('names the path of a field of the wrong type', () => {
    const d = tinyData();
    d.core.memory_bytes.value = '1 KiB';
    expect(errorOf(() => validateTarget(d, label))).toBe(
      'targets/x.yaml: core.memory_bytes.value: expected number, got string "1 KiB"',
    );
  });

  it('names a missing field', () => {
    const d = tinyData();
    delete d.costs.chip_hop;
    expect(errorOf(() => validateTarget(d, label))).toBe('targets/x.yaml: costs.chip_hop: missing (expected object)');
  });

  it('rejects a number without a source, and a bare "assumption"', () => {
    const d = tinyData();
    delete d.core.neurons.source;
    d.core.fan_in.source = '  ';
    d.core.fan_out.source = 'assumption';
    const msg = errorOf(() => validateTarget(d, label));
    expect(msg).toMatch(/core\.neurons\.source: missing/);
    expect(msg).toMatch(/core\.fan_in\.source: needs a source/);
    expect(msg).toMatch(/core\.fan_out\.source: "assumption" must be followed by a reason/);
  });

  it('rejects a negative energy, a fractional count and an unknown key', () => {
    const d = tinyData();
    d.costs.synaptic_op.energy_j.value = -1e-12;
    d.topology.cores_per_group.value = 1.5;
    d.core.memory_kib = 1;
    const msg = errorOf(() => validateTarget(d, label));
    expect(msg).toMatch(/costs\.synaptic_op\.energy_j\.value: must not be negative \(got -1e-12\)/);
    expect(msg).toMatch(/topology\.cores_per_group\.value: expected a whole number, got number 1\.5/);
    expect(msg).toMatch(/core: unknown key memory_kib/);
  });

  it('checks choices and cross-field rules', () => {
    const scheme = tinyData();
    scheme.timestep.scheme = 'tick';
    expect(errorOf(() => validateTarget(scheme, label))).toMatch(/timestep\.scheme: expected one of barrier, fixed-tick, got "tick"/);
    const d = tinyData();
    d.default_arithmetic = 'fp16';
    d.topology.groups_per_chip.value = 5;
    const msg = errorOf(() => validateTarget(d, label));
    expect(msg).toMatch(/default_arithmetic: "fp16" is not one of the arithmetic modes \(fp32, int8, binary\)/);
    expect(msg).toMatch(/topology\.groups_per_chip\.value: 5 groups do not fit a 2×2 mesh/);
  });

  it('reports syntax errors with the file name', () => {
    expect(errorOf(() => parseTarget('name: x\n  bad: [', label, 'yaml'))).toMatch(/^targets\/x\.yaml: not valid YAML: .*line 1/);
    expect(errorOf(() => parseTarget('{"name": ', 'x.json', 'json'))).toMatch(/^x\.json: not valid JSON/);
  });

  it('lists the known targets for an unknown name', () => {
    expect(errorOf(() => loadTarget('loihi3'))).toMatch(/unknown target "loihi3"; known targets: loihi, loihi-sanafe, loihi2, spinnaker2, tiny/);
    expect(errorOf(() => loadTarget('no/such/file.yaml'))).toMatch(/no such target file: no\/such\/file\.yaml/);
  });
});

describe('user files', () => {
  const tmp = useTempDir('neuromap-targets-');

  it('loads the same target from YAML and from JSON', () => {
    const dir = tmp();
    const d = tinyData();
    d.name = 'mine';
    fs.writeFileSync(path.join(dir, 'mine.yaml'), YAML.stringify(d));
    fs.writeFileSync(path.join(dir, 'mine.json'), JSON.stringify(d));
    const fromYaml = loadTarget(path.join(dir, 'mine.yaml'));
    const fromJson = loadTarget(path.join(dir, 'mine.json'));
    expect(fromJson).toEqual(fromYaml);
    expect(fromYaml.name).toBe('mine');
  });

  it('validates a file from the command line, and fails with the field path', async () => {
    const dir = tmp();
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(good, YAML.stringify(tinyData()));
    const bad = tinyData();
    bad.static_power.chip_w.value = 'high';
    const badFile = path.join(dir, 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));

    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (lines.push(String(s)), true));
    try {
      await targetsCommand.handler({ action: 'validate', target: good, _: [], $0: 'neuromap' });
      await targetsCommand.handler({ action: 'show', target: 'loihi', _: [], $0: 'neuromap' });
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toMatch(/^OK: .*good\.yaml describes target tiny/);
    expect(lines[1]).toMatch(/costs\.synaptic_op\.energy_j\s+23\.6 pJ\s+davies2018 Table 2/);
    expect(() => targetsCommand.handler({ action: 'validate', target: badFile, _: [], $0: 'neuromap' })).toThrow(
      /bad\.json: static_power\.chip_w\.value: expected number, got string "high"/,
    );
  });

  it('lists and shows the dense baselines that simulate --target takes, rates in units per second', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (lines.push(String(s)), true));
    try {
      await targetsCommand.handler({ action: 'list', _: [], $0: 'neuromap' });
      await targetsCommand.handler({ action: 'show', target: 'dense-gpu', _: [], $0: 'neuromap' });
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toMatch(/\ndense baselines .*simulate M\.egru --target NAME.*\n.*\n-+ +-+\ndense-cpu +One core of an Intel Xeon.*\ndense-gpu +NVIDIA A100/);
    expect(lines[1]).toMatch(/^dense-gpu: NVIDIA A100/);
    // dense-gpu.yaml: peak_macs_per_s 9.75e12 (19.5 TFLOP/s fp32 / 2), a rate, not a time.
    expect(lines[1]).toMatch(/\npeak_macs_per_s +9750 G\/s /); // the largest prefix is G (formatQuantity's table)
    expect(lines[1]).toMatch(/\ndram_bytes_per_s +1555 GB\/s /); // 1.555e12 B/s
    expect(lines[1]).toMatch(/\d+ numbers, \d+ of them assumptions\n$/);
  });
});
