/**
 * The effectful side of training: a progress bar, periodic atomic checkpoints and Ctrl-C handling around the
 * pure loop in models/train.ts. Shared by `train`, `prune` (fine-tuning) and `demo`.
 */
import fs from 'fs';
import { UserError } from '../models/config';
import { saveModel } from '../models/file';
import { LanguageModel } from '../models/model';
import { TrainResult, TrainSettings, train } from '../models/train';
import { Progress } from './progress';

export interface RunTrainingOptions {
  label: string;
  /** Where resumable snapshots go (atomically); removed when training finishes. */
  checkpointPath?: string;
  checkpointSeconds?: number;
  /** How to resume, for the message printed on Ctrl-C. */
  resumeHint?: string;
}

export function runTraining(
  model: LanguageModel, trainIds: Int32Array, validIds: Int32Array, settings: TrainSettings, options: RunTrainingOptions,
): TrainResult {
  const progress = new Progress(options.label);
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    progress.log('stopping after this step and writing a checkpoint (Ctrl-C again to abort without one)…');
  };
  process.on('SIGINT', onSigint);
  let loss = NaN;
  try {
    const result = train(model, trainIds, validIds, settings, {
      checkpointSeconds: options.checkpointPath ? options.checkpointSeconds ?? 60 : undefined,
      onCheckpoint: (m) => {
        if (options.checkpointPath) saveModel(options.checkpointPath, m);
      },
      shouldStop: () => stop,
      onStep: (s) => {
        // A smoothed loss reads better than the noisy per-window value.
        loss = Number.isNaN(loss) ? s.loss : 0.95 * loss + 0.05 * s.loss;
        progress.update({
          fraction: s.step / s.totalSteps,
          fields: [
            `step ${s.step}/${s.totalSteps}`, `${s.tokensPerSecond.toFixed(0)} tok/s`, `loss ${loss.toFixed(3)}`,
            `ppl ${Math.exp(loss).toFixed(1)}`, `act ${s.activity.map((a) => a.toFixed(2)).join(',')}`,
          ],
        }, s.step === s.totalSteps);
      },
      onEval: (e) => {
        progress.log(
          `${options.label}: step ${e.step}, ${e.tokens} tokens: validation perplexity ${e.validPerplexity.toFixed(2)}` +
            `, activity ${e.activity.map((a) => a.toFixed(3)).join(',')}${e.best ? ' (best so far)' : ''}`,
        );
      },
    });
    progress.done();
    if (!result.finished) {
      const where = options.checkpointPath ? ` Checkpoint: ${options.checkpointPath}.` : '';
      throw new UserError(`stopped at step ${(model.training as { step?: number } | undefined)?.step ?? '?'}.${where}${options.resumeHint ? ` ${options.resumeHint}` : ''}`);
    }
    if (options.checkpointPath && fs.existsSync(options.checkpointPath)) fs.unlinkSync(options.checkpointPath);
    return result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
