/**
 * The per-operation costs the engine charges, read once from the target (targets/resolve.ts, with the
 * arithmetic mode's overrides) into plain numbers: latency in seconds, energy in joules.
 *
 * Not charged: an arithmetic mode's `mac_accelerator` (SpiNNaker2 int8: a 16×4 MAC array per PE, 0.714 pJ
 * per MAC, 6.67 ns per array cycle). Every delivery is served in software at `synaptic_op`, also where its
 * row is dense over the core's units (a tied or unpruned decoder's rows), which the array could in principle
 * take: ⌈n / lanes⌉ array cycles and n × energy_j instead of n synaptic ops. That was considered and judged
 * unsound as a per-delivery model:
 * - It leaves out what one event costs the array beyond its MACs. An event is one input value (a reduction
 *   of depth 1): the array's outputs are stationary only within one operation, so its n products must be
 *   added to the core's accumulators in SRAM afterwards, at least a load, an add and a store each on the
 *   Cortex-M4 (≥ 3 cycles, the software synaptic op's own budget), plus configuring and starting the array
 *   for the operation. The target file's figures are the array's peak rate and efficiency (~2.8 TOPS/W);
 *   none of its sources gives a setup or write-back cost, so the model would rest on what it omits: for a 64-entry row it would charge 6.7 ns and 46 pJ against 1.28 µs
 *   and 1.6 nJ in software, 190× faster and 35× cheaper, while the write-back alone takes as long as the
 *   software path.
 * - The array is used on SpiNNaker2 per layer and timestep, not per event: a step's input spikes gathered
 *   into a matrix and multiplied by the (densified) weights, chosen per layer against the event-driven ARM
 *   path, which exploits input sparsity (Huang et al., Front. Neurosci. 17:1223262, 2023; arXiv:2406.17049). Modelling that
 *   means batching a core's same-step deliveries into one product at its neuron update (cost: a setup, array
 *   cycles set by how k inputs and n outputs map onto the 16 × 4 layout, n results written back), a per-projection
 *   choice in the compiler, and sourced setup and write-back costs in the target file: a change of the
 *   engine's structure, not of the cost of a delivery. Until then `mac_accelerator` is data the simulator
 *   reads nowhere, and int8 on SpiNNaker2 is charged as the software path its `costs` describe.
 */
import { resolveTarget, type OpPrice } from '../targets/resolve';
import type { OpName, Target } from '../targets/schema';

export type Cost = OpPrice;

/** The target's operations (targets/resolve.ts), plus what one MAC of a host-side layer costs the host's processor (baseline.ts hostMacCost). */
export type SimCosts = Record<OpName, Cost> & { host_mac: Cost };

export function simCosts(t: Target, arith: string, hostMac: Cost = { latency: 0, energy: 0 }): SimCosts {
  return { ...resolveTarget(t, arith).costs, host_mac: hostMac };
}
