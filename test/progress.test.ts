/** format/progress.ts: plain lines per tenth off a terminal, a bar ended by a newline on one, the ETA after a resume. */
import { PROGRESS_ENV, Progress, type ProgressStream } from '../format/progress';

function sink(tty: boolean): ProgressStream & { text: string } {
  const s = { text: '', isTTY: tty, columns: 200, write: (chunk: string | Uint8Array) => ((s.text += String(chunk)), true) };
  return s as ProgressStream & { text: string };
}

/** Runs `f` with progress output on (the suite runs with NEUROMAP_PROGRESS=off). */
function withProgressOn(f: () => void): void {
  const before = process.env[PROGRESS_ENV];
  process.env[PROGRESS_ENV] = 'on';
  try {
    f();
  } finally {
    process.env[PROGRESS_ENV] = before;
  }
}

describe('Progress', () => {
  it('off a terminal: a line at the start and at each further tenth, each ending in a newline', () => {
    withProgressOn(() => {
      const out = sink(false);
      let t = 0;
      const p = new Progress('simulate', out, () => (t += 1000));
      for (let i = 1; i <= 100; i++) p.update({ fraction: i / 100, fields: [`step ${i}`] });
      p.done();
      // 1% (the start), then 10%, 20%, …, 100%: 11 lines, not 100.
      const lines = out.text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => l.match(/step \d+/)?.[0])).toEqual(['step 1', ...Array.from({ length: 10 }, (_, k) => `step ${10 * (k + 1)}`)]);
    });
  });

  it('off a terminal, done() prints the last update when no tenth showed it', () => {
    withProgressOn(() => {
      const out = sink(false);
      const p = new Progress('simulate', out, () => 0);
      p.update({ fraction: 0, fields: ['step 0'] });
      p.update({ fraction: 0.05, fields: ['step 15'] });
      p.done();
      expect(out.text).toBe('simulate   0.0% step 0 | ETA --\nsimulate   5.0% step 15 | ETA --\n');
    });
  });

  it('on a terminal: one bar redrawn in place, ended by a newline', () => {
    withProgressOn(() => {
      const out = sink(true);
      const p = new Progress('eval', out, () => 0);
      p.update({ fraction: 0.5, fields: [] });
      p.done();
      expect(out.text).toMatch(/^\reval \[#{12}\.{12}\]  50\.0% ETA --\x1b\[K\n$/);
    });
  });

  it('after a resume, counts the rate from the resumed step', () => {
    withProgressOn(() => {
      const out = sink(false);
      let t = 0;
      const p = new Progress('train', out, () => t);
      p.update({ fraction: 1040 / 4286, fields: [] }); // resumed at step 1040 of 4286
      t = 10_000;
      p.update({ fraction: 1050 / 4286, fields: [] }, true); // 10 steps in 10 s: 1 step/s
      // 4286 − 1050 = 3236 steps left at 1 step/s: 3236 s = 53 min 56 s. (Counting from the start as if the run
      // had begun at step 0 gave 10 s × (1 − 0.245) / 0.245 = 31 s.)
      expect(out.text.split('\n')[1]).toMatch(/ETA 53m56s$/);
    });
  });

  it('prints nothing with NEUROMAP_PROGRESS=off but still prints messages', () => {
    const out = sink(false);
    const before = process.env[PROGRESS_ENV];
    process.env[PROGRESS_ENV] = 'off';
    try {
      const p = new Progress('train', out, () => 0);
      p.update({ fraction: 0.5, fields: [] });
      p.log('validation perplexity 100');
      p.done();
    } finally {
      process.env[PROGRESS_ENV] = before;
    }
    expect(out.text).toBe('validation perplexity 100\n');
  });
});
