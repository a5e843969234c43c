/**
 * What a queued sweep puts in Redis. One BullMQ queue holds every sweep's points; a job's id is its point's
 * content key, so adding a point that is already queued, running or finished adds nothing. The job carries the
 * whole expanded point (workers never read the config file) and the versions a worker must match to run it.
 */
import { z } from 'zod';
import { sweepSchema } from '../config';
import type { SweepPoint } from '../grid';
import { keyOf } from '../hash';
import { NEUROMAP_VERSION } from '../../pipeline/provenance';

/** BullMQ's key prefix and queue name: every key lives under `neuromap:points:…` (models: `neuromap:models:…`). */
export const PREFIX = 'neuromap';
export const QUEUE = 'points';

/**
 * Bump when the job data, SweepPoint or ResultLine change meaning. Together with a fingerprint of the config
 * schema (which changes with any key or default), it tells a worker whether it reads a job as its sender meant.
 */
const JOB_FORMAT = 1;
export const SCHEMA = keyOf({ format: JOB_FORMAT, config: z.toJSONSchema(sweepSchema, { io: 'input', unrepresentable: 'any' }) });

export interface PointJob {
  neuromap: string;
  schema: string;
  point: SweepPoint;
  /**
   * The point that trains this point's model: the first point of its training key still to run, in grid
   * order. Every other point of the key waits (delayed, its worker free for other points) until the model exists.
   */
  trainer: string;
  /** Absolute folder every worker reaches (shared file system) for models, maps and checkpoints; null: the worker's own. */
  artifacts: string | null;
}

export function pointJob(point: SweepPoint, trainer: string, artifacts: string | null): PointJob {
  return { neuromap: NEUROMAP_VERSION, schema: SCHEMA, point, trainer, artifacts };
}

/** Why this worker must not run a job (another neuromap version or config schema), or null. */
export function refusal(job: Partial<PointJob>): string | null {
  if (job.neuromap === NEUROMAP_VERSION && job.schema === SCHEMA) return null;
  return `refused by a worker of neuromap ${NEUROMAP_VERSION} (schema ${SCHEMA}): the job was queued by neuromap ${job.neuromap ?? '?'} ` +
    `(schema ${job.schema ?? '?'}); run workers and the sweep from the same neuromap version`;
}

/**
 * A point's BullMQ job id. Point keys are 12 hex digits and can be all decimal digits, which BullMQ refuses as a
 * custom id ("Custom Id cannot be integers"); the prefix keeps every id a string.
 */
export const jobIdOf = (pointKey: string) => `point-${pointKey}`;

/** Where a trained model waits for other workers when there is no shared artifacts folder. */
export const modelKey = (trainKey: string) => `${PREFIX}:models:${trainKey}`;

/** What a worker reports while a point runs (BullMQ job progress), for the coordinator's display. */
export interface PointProgress {
  phase: string;
  fraction: number;
  host: string;
}
