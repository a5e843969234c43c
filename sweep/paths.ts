/** Where a sweep keeps things inside its output folder (line fields record them relative to it). */
import path from 'path';

export const RESULTS_FILE = 'results.jsonl';
export const LOG_FILE = 'sweep.log';

/** The cached trained model of a training key, shared by every pruning level. */
export const trainedModelFile = (trainKey: string) => path.join('models', `${trainKey}.egru`);
/** Its resumable training checkpoint (removed once the model is written). */
export const checkpointFile = (trainKey: string) => path.join('models', `${trainKey}.egru.ckpt`);
/** A point's own folder: its pruned model, compiled maps, simulation reports. */
export const pointDir = (key: string) => path.join('points', key);
