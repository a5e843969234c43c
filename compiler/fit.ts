/**
 * The error for a model that does not fit: what is needed, what is available, which limit, and what would
 * help. Every pass that can run out of room builds its message here so they read alike.
 */
import { UserError } from '../models/config';
import { FEWEST_SIGNED_PLANES, type Context } from './ir';
import { formatCount } from '../format/table';

export type Limit = 'memory' | 'fan-in' | 'fan-out' | 'addresses' | 'neurons' | 'cores' | 'routing';

/** A refusal that names its limit, so a caller can try again with what would help (pipeline/chip-runs.ts: fewer planes). */
export class DoesNotFit extends UserError {
  constructor(message: string, readonly limit: Limit) {
    super(message);
  }
}

export function doesNotFit(ctx: Context, limit: Limit, problem: string, extraHelp: string[] = []): DoesNotFit {
  return new DoesNotFit(`the model does not fit ${ctx.target.name}: ${problem}. What would help: ${[...extraHelp, ...advice(ctx, limit)].join('; ')}`, limit);
}

/** 1234567 → "1,234,567": numbers in messages (format/table.ts's formatCount, under the name the passes use). */
export const count = formatCount;

function advice(ctx: Context, limit: Limit): string[] {
  const o = ctx.options;
  const narrower = Object.entries(ctx.target.arithmetic)
    .filter(([, m]) => m.weight_bits.value < ctx.resolved.arithmetic.weightBits && m.event_payload_bits.value > 0)
    .map(([name]) => name);
  const common = ['more pruning (`neuromap prune --sparsity`)', 'smaller layers'];
  // Each bit plane is an axon and a synapse row of its own: fewer planes (coarser events) shrink both, down to
  // FEWEST_SIGNED_PLANES.
  const fewerPlanes = ctx.encoding === 'bit-planes' && ctx.planes > FEWEST_SIGNED_PLANES ? [`fewer bit planes per event (--planes ${ctx.planes - 1} or less; now ${ctx.planes}: coarser events)`] : [];
  switch (limit) {
    case 'memory':
      return [...fewerPlanes, ...common, ...(narrower.length ? [`narrower weights (--arith ${narrower.join(' or ')})`] : []), 'a target with more memory per core'];
    case 'fan-in':
      return [...fewerPlanes, ...common, 'a target with larger cores'];
    case 'addresses':
    case 'neurons':
      return [...common, 'a target with larger cores'];
    case 'fan-out':
      return [...common, o.decoder === 'chip' ? '--decoder host (the decoder multiplies the last layer’s destinations)' : 'a target with more output axons per core'];
    case 'cores':
    case 'routing':
      return [
        'more chips (--chips)',
        ...common,
        ...(o.strategy === 'balance' ? ['--strategy pack (fewest cores)'] : []),
        ...(o.decoder === 'chip' ? ['--decoder host (keeps the decoder off-chip)'] : []),
      ];
  }
}
