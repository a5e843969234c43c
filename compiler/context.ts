/**
 * The target rules that decide, before any pass runs, whether and how a model can be compiled: which
 * arithmetic, and how EGRU events travel. An EGRU emits graded events; a target that carries binary
 * spikes only (Loihi) or cannot run the EGRU unit is refused with the reason, unless the user asks for the
 * target's documented bit-plane encoding (neuron.binary_encoding in the target file, targets/README.md).
 */
import { ModelConfig, UserError } from '../models/config';
import { egruObstacle } from '../targets/derive';
import { resolveTarget } from '../targets/resolve';
import type { Target } from '../targets/schema';
import { FEWEST_SIGNED_PLANES, type CompileOptions, type Context, type Diagnostic } from './ir';
import { formatCountOf } from '../format/table';

export function resolveContext(target: Target, config: ModelConfig, options: CompileOptions): { ctx: Context; notes: Diagnostic[] } {
  if (config.cell !== 'egru')
    throw new UserError(
      `the compiler maps event-based GRU (egru) models; this model's cell is ${config.cell}, a dense baseline with no events to route`,
    );
  if (options.cores !== undefined) {
    if (!Number.isInteger(options.cores) || options.cores < 1) throw new UserError(`--cores must be a whole number of cores, 1 or more; got ${options.cores}`);
    if (options.strategy !== 'balance')
      throw new UserError(`--cores ${options.cores} spreads layers over that many cores for --strategy balance; --strategy ${options.strategy} uses the fewest cores: drop one of the two`);
  }
  const arithName = options.arith ?? target.default_arithmetic;
  const resolved = resolveTarget(target, arithName);
  const { arithmetic, bitPlanes } = resolved;
  const obstacle = egruObstacle(target, arithName);
  const encoding = target.neuron.binary_encoding;
  const notes: Diagnostic[] = [];
  if (!obstacle) {
    if (options.planes !== undefined)
      throw new UserError(`--planes sets the bit planes of --binary-encoding; ${arithName} on ${target.name} carries graded events: drop the flag`);
    if (options.binaryEncoding)
      throw new UserError(
        `--binary-encoding is for binary-spike arithmetics; ${arithName} on ${target.name} carries graded events ` +
          `(${arithmetic.eventPayloadBits}-bit payload), so EGRU events travel as they are: drop the flag`,
      );
    return { ctx: { target, arithName, resolved, encoding: 'native', planes: 1, options }, notes };
  }
  if (!encoding)
    throw new UserError(`${obstacle}; the target describes no binary encoding of graded events, so an EGRU cannot be compiled for it`);
  if (!options.binaryEncoding)
    throw new UserError(
      `${obstacle}. Pass --binary-encoding to send each event as up to ${bitPlanes} binary spikes ` +
        `(${encoding.scheme}, the target's neuron.binary_encoding; an approximation), or choose a target with graded events (e.g. loihi2, spinnaker2)`,
    );
  // Here the unit itself is the obstacle on a graded arithmetic: spikes are not the problem, planes cannot help.
  if (arithmetic.eventPayloadBits > 0) {
    const binary = Object.keys(target.arithmetic).filter((name) => target.arithmetic[name].event_payload_bits.value === 0);
    throw new UserError(
      `${obstacle}; --binary-encoding cannot help ${arithName}, whose events are graded already: choose ` +
        (binary.length ? `a binary-spike arithmetic (--arith ${binary.join(' or --arith ')}) or ` : '') +
        'a target that runs the EGRU unit (e.g. loihi2, spinnaker2)',
    );
  }
  // The embedding's events are signed (quantize.ts encoding()): fewer planes than FEWEST_SIGNED_PLANES and the
  // map computes the model without its input.
  if (bitPlanes < FEWEST_SIGNED_PLANES)
    throw new UserError(
      `${obstacle}; ${target.name}'s binary encoding has ${formatCountOf(bitPlanes, 'bit plane')}, too few for the embedding's signed events ` +
        `(a sign plane and at least one magnitude plane): an EGRU cannot be compiled for it; give the target ${FEWEST_SIGNED_PLANES} or more planes, or choose a target with graded events (e.g. loihi2, spinnaker2)`,
    );
  const planes = options.planes ?? bitPlanes;
  if (!Number.isInteger(planes) || planes < 1 || planes > bitPlanes)
    throw new UserError(`--planes must be a whole number from ${FEWEST_SIGNED_PLANES} to ${bitPlanes} (${target.name}'s bit planes); got ${options.planes}`);
  if (planes < FEWEST_SIGNED_PLANES)
    throw new UserError(
      `--planes must be a whole number from ${FEWEST_SIGNED_PLANES} to ${bitPlanes} (${target.name}'s bit planes): the embedding's events are signed, ` +
        `and a signed event needs a sign plane and at least one magnitude plane (with 1 every embedding value would round to 0); got ${options.planes}`,
    );
  notes.push({
    pass: 'lower',
    level: 'warning',
    message:
      `bit-plane encoding: events go out as up to ${planes} binary spikes each, multiplying spikes, fan-in, fan-out and synapse rows by up to ${planes}` +
      (planes < bitPlanes ? ` (${planes} of the target's ${bitPlanes} planes: events quantised to ${formatCountOf(planes, 'bit')})` : '') +
      (target.neuron.egru_unit ? '' : `; ${target.name} cannot compute the EGRU gates (${target.neuron.note}), the simulator charges them as neuron updates (an approximation)`),
  });
  return { ctx: { target, arithName, resolved, encoding: 'bit-planes', planes, options }, notes };
}
