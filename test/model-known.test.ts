/**
 * models/model.ts: recordedTime records the wall-clock time only when NEUROMAP_RECORD_TIME is exactly "1", and
 * isPruningResume tells a pruning run's checkpoint state from a training run's (or none).
 */
import { PruningResume, ResumeState, isPruningResume, recordedTime } from '../models/model';
import type { TrainingState } from '../models/train';

function withRecordTime<T>(value: string | undefined, f: () => T): T {
  const saved = process.env.NEUROMAP_RECORD_TIME;
  if (value === undefined) delete process.env.NEUROMAP_RECORD_TIME;
  else process.env.NEUROMAP_RECORD_TIME = value;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.NEUROMAP_RECORD_TIME;
    else process.env.NEUROMAP_RECORD_TIME = saved;
  }
}

describe('recordedTime', () => {
  it('is empty unless NEUROMAP_RECORD_TIME=1, so the same inputs give the same bytes', () => {
    expect(withRecordTime(undefined, recordedTime)).toEqual({});
    expect(withRecordTime('0', recordedTime)).toEqual({});
    expect(withRecordTime('', recordedTime)).toEqual({});
    expect(withRecordTime('true', recordedTime)).toEqual({});
  });

  it('with NEUROMAP_RECORD_TIME=1, the current time as an ISO string', () => {
    const before = Date.now();
    const r = withRecordTime('1', recordedTime);
    const after = Date.now();
    expect(Object.keys(r)).toEqual(['createdAt']);
    expect(r.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const t = Date.parse(r.createdAt!);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
  });
});

describe('isPruningResume', () => {
  it('true for a state holding `pruning`, false for a training state or none', () => {
    const pruning: PruningResume = {
      pruning: { target: 0.5, levels: [0.5], finetune: null, scope: 'global', round: 0, masked: false, rounds: [] },
    };
    // A training state has no `pruning` key (only what isPruningResume looks at matters here).
    const training = { step: 3, totalSteps: 10 } as unknown as TrainingState;
    expect(isPruningResume(pruning)).toBe(true);
    expect(isPruningResume(training as ResumeState)).toBe(false);
    expect(isPruningResume(undefined)).toBe(false);
  });
});
