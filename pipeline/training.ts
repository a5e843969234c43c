/**
 * The effectful side of training: a progress bar, periodic atomic checkpoints and Ctrl-C handling around the
 * pure loop in models/train.ts. Shared by `train`, `prune` (fine-tuning) and `demo`.
 *
 * Ctrl-C: Node runs a SIGINT handler only when the event loop turns, never in the middle of synchronous work,
 * so a training loop that never returns to the event loop cannot be interrupted by one (Ctrl-C then did nothing
 * until the end). `untilCtrlC` therefore runs the work as a step generator and lets the event loop turn between
 * steps (about every 100 ms): the first Ctrl-C asks the work to stop at its next step, where it writes a
 * checkpoint and throws a StoppedError that says how to resume; a second one exits at once (every file is
 * written atomically, so even then nothing is left half-written).
 */
import fs from 'fs';
import { UserError } from '../models/config';
import { loadModel, saveModel } from '../models/file';
import { LanguageModel, ResumeState } from '../models/model';
import { layerName } from '../models/params';
import { StoppedError, TrainCallbacks, TrainResult, TrainSettings, runToEnd, trainSteps } from '../models/train';
import { Progress } from '../format/progress';

export interface RunTrainingOptions {
  label: string;
  /** Where resumable snapshots go (atomically); removed when training finishes. */
  checkpointPath?: string;
  checkpointSeconds?: number;
  /** How to resume, for the message printed on Ctrl-C. */
  resumeHint?: string;
}

/** The checkpoint that `--resume` continues from (train's or prune's: the caller tells them apart). */
export function loadCheckpoint(checkpointPath: string): LanguageModel & { training: ResumeState } {
  if (!fs.existsSync(checkpointPath)) throw new UserError(`--resume: no checkpoint at ${checkpointPath}; start without --resume`);
  const model = loadModel(checkpointPath);
  if (!model.training) throw new UserError(`${checkpointPath} holds no training state to resume from`);
  return model as LanguageModel & { training: ResumeState };
}

/**
 * Trains with a progress bar and checkpoints, without pausing: Ctrl-C ends the process (the last periodic
 * checkpoint, if any, is what remains). For the demo; `neuromap train` uses runTrainingUntilCtrlC.
 */
export function runTraining(
  model: LanguageModel, trainIds: Int32Array, validIds: Int32Array, settings: TrainSettings, options: RunTrainingOptions,
): TrainResult {
  return runToEnd(trainingSteps(model, trainIds, validIds, settings, options, new Progress(options.label), () => false));
}

/** The same, stopping at a resumable point on Ctrl-C (a StoppedError naming the checkpoint and how to resume). */
export function runTrainingUntilCtrlC(
  model: LanguageModel, trainIds: Int32Array, validIds: Int32Array, settings: TrainSettings, options: RunTrainingOptions,
): Promise<TrainResult> {
  const progress = new Progress(options.label);
  return untilCtrlC((m) => progress.log(m), (stop) => trainingSteps(model, trainIds, validIds, settings, options, progress, stop));
}

function* trainingSteps(
  model: LanguageModel, trainIds: Int32Array, validIds: Int32Array, settings: TrainSettings, options: RunTrainingOptions,
  progress: Progress, shouldStop: () => boolean,
): Generator<void, TrainResult, void> {
  const result = yield* trainSteps(model, trainIds, validIds, settings, {
    checkpointSeconds: options.checkpointPath ? options.checkpointSeconds ?? 60 : undefined,
    onCheckpoint: (m) => {
      if (options.checkpointPath) saveModel(options.checkpointPath, m);
    },
    shouldStop,
    ...progressCallbacks(progress, options.label),
  });
  progress.done();
  if (!result.finished) {
    const where = options.checkpointPath ? ` Checkpoint: ${options.checkpointPath}.` : '';
    throw new StoppedError(`stopped at step ${result.steps}.${where}${options.resumeHint ? ` ${options.resumeHint}` : ''}`);
  }
  if (options.checkpointPath && fs.existsSync(options.checkpointPath)) fs.unlinkSync(options.checkpointPath);
  return result;
}

/** Below this activity (one event per thousand unit-steps) a layer counts as silent. */
export const SILENT_ACTIVITY = 0.001;

/**
 * A warning when an EGRU layer is (nearly) silent on the validation text, else null. A silent layer passes almost
 * nothing upward, so the decoder predicts from its bias alone and training goes on quietly near the unigram
 * perplexity. Study 3 part 2 met it: threshold 0.2, activity penalty 1 and weight decay 1 with the default unigram
 * decoder bias trained a last layer at activity 0.00004 (16 events in 3,000 tokens over 128 units).
 */
export function silentLayerWarning(activity: number[]): string | null {
  const silent = activity.flatMap((a, l) => (a < SILENT_ACTIVITY ? [`${layerName(l)} (${a.toPrecision(2)})`] : []));
  if (silent.length === 0) return null;
  return `warning: almost no events on the validation text from ${silent.join(' and ')}, under one per thousand ` +
    'unit-steps, so what follows sees next to nothing of the text and the model cannot improve ' +
    'much on word frequencies. Sparsify less: a lower --threshold-init, --activity-penalty or --weight-decay; with ' +
    'sparse settings --decoder-bias-init zero lets the layers start firing (the default unigram bias leaves them ' +
    'little gradient).';
}

/** A progress bar of the training steps (smoothed loss, perplexity, activity) and a line per evaluation. */
export function progressCallbacks(progress: Progress, label: string): Pick<TrainCallbacks, 'onStep' | 'onEval'> {
  let loss = NaN;
  let warnedSilent = false;
  return {
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
        `${label}: step ${e.step}, ${e.tokens} tokens: validation perplexity ${e.validPerplexity.toFixed(2)}` +
          `, activity ${e.activity.map((a) => a.toFixed(3)).join(',')}${e.best ? ' (best so far)' : ''}`,
      );
      const warning = warnedSilent ? null : silentLayerWarning(e.activity);
      if (warning) {
        warnedSilent = true;
        progress.log(`${label}: ${warning}`);
      }
    },
  };
}

/**
 * Runs `work` (a step generator polling the flag it is given) with Ctrl-C handling: the event loop turns
 * between steps at least every `yieldMs`, so the first Ctrl-C sets the flag (and `notice` tells the user) and
 * the work stops at its next step; a second Ctrl-C exits with status 130.
 */
export async function untilCtrlC<T>(
  notice: (message: string) => void, work: (shouldStop: () => boolean) => Generator<void, T, void>, yieldMs = 100,
): Promise<T> {
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    notice('stopping after this step and writing a checkpoint (Ctrl-C again to abort without one)…');
  };
  process.on('SIGINT', onSigint);
  try {
    const steps = work(() => stop);
    let last = Date.now();
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (Date.now() - last >= yieldMs) {
        await new Promise((resolve) => setImmediate(resolve));
        last = Date.now();
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}
