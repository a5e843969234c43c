/**
 * simulator/macs.ts's tallies must come from the map the run was made from: a host-side projection that the
 * run's host does not compute (here the map's decoder renamed) is named in the error, not tallied as zero.
 */
import { compile, nmapBody } from '../compiler';
import { simulatedTallies } from '../simulator/macs';
import { HOST_PROCESSOR, runModel } from '../simulator/run-model';
import { loadBaseline } from '../targets/baseline-schema';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';

describe('simulatedTallies', () => {
  it('names a host projection the run does not compute', () => {
    const model = randomModel(fixtureConfig({ layers: [4] }), { seed: 2 });
    const nmap = nmapBody(compile(model, loadTarget('tiny'), { decoder: 'host', arith: 'fp32' }));
    const run = runModel(nmap, Int32Array.of(1, 2, 3), { hostProcessor: loadBaseline(HOST_PROCESSOR) });
    expect(simulatedTallies(nmap, run).map((t) => t.name)).toContain('decoder');
    const other = { ...nmap, projections: nmap.projections.map((p) => (p.name === 'decoder' ? { ...p, name: 'elsewhere' } : p)) };
    expect(() => simulatedTallies(other, run)).toThrow('projection elsewhere runs on the host, which does not compute it');
  });
});
