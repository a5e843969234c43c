/**
 * How a trained model reaches the other workers, so that a training run shared by several points (its pruning
 * levels) is trained once across the cluster. With a shared artifacts folder the model file itself is the signal
 * (written atomically by the trainer). Without one, the trainer uploads the file's bytes to Redis (one key per
 * training key, kept like the finished jobs) and every other worker downloads it into its own folder once.
 */
import fs from 'fs';
import path from 'path';
import type Redis from 'ioredis';
import { writeFileAtomic } from '../../models/atomic';
import { trainedModelFile } from '../paths';
import { PointJob, modelKey } from './jobs';

export class ModelShare {
  constructor(private readonly redis: Redis, private readonly workDir: string) {}

  /** The folder a job's point runs in: the shared artifacts folder, or this worker's own. */
  outDir(job: PointJob): string {
    return job.artifacts ?? this.workDir;
  }

  private localFile(job: PointJob): string {
    return path.join(this.outDir(job), trainedModelFile(job.point.trainKey));
  }

  /** Whether the job's trained model exists anywhere this worker can get it. */
  async available(job: PointJob): Promise<boolean> {
    if (fs.existsSync(this.localFile(job))) return true;
    if (job.artifacts !== null) return false;
    return (await this.redis.exists(modelKey(job.point.trainKey))) === 1;
  }

  /** Puts the model shared through Redis into this worker's folder (no-op when it is there or not in Redis). */
  async fetch(job: PointJob): Promise<void> {
    const file = this.localFile(job);
    if (job.artifacts !== null || fs.existsSync(file)) return;
    const bytes = await this.redis.getBuffer(modelKey(job.point.trainKey));
    if (!bytes) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, bytes);
  }

  /** After a point trained its model here: shares it through Redis when there is no shared folder. */
  async publish(job: PointJob): Promise<void> {
    if (job.artifacts !== null) return;
    const file = this.localFile(job);
    if (fs.existsSync(file)) await this.redis.set(modelKey(job.point.trainKey), fs.readFileSync(file), 'NX');
  }
}
