/**
 * The report page in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core) opens
 * report.html from a file:// URL built from real `neuromap eval` and `neuromap simulate` output (a map's run and
 * a model's dense baseline) and a sweep, finds every plot rendered with a non-zero size, sees no console error
 * and no request for anything outside the file, and takes a screenshot. Without /usr/bin/chromium it is
 * skipped with a loud notice saying how to install it, except under CI (the CI environment variable, which .ci/run
 * sets), where it fails: CI must run it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { chromium } from 'playwright-core';
import { evaluationJson } from '../cli/commands/eval';
import { runReport } from '../cli/commands/report';
import { runSimulate } from '../cli/commands/simulate';
import { compile, saveNmap } from '../compiler';
import { encodeTextFile } from '../models/data';
import { saveModel } from '../models/file';
import { evaluate } from '../models/evaluate';
import { loadTarget } from '../targets/load';
import { fixtureConfig, randomModel } from './fixtures/model';
import { useTempDir } from './fixtures/tmp';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = `this test needs Debian's chromium: install it with \`apt-get install -y chromium\` (.ci/run does)`;
const runIt = fs.existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runIt) process.stderr.write(`\n*** SKIPPED test/report-browser.test.ts: ${CHROMIUM} is missing; ${INSTALL}. Under CI it is required. ***\n\n`);
const tmp = useTempDir('neuromap-report-browser-');
const file = (name: string) => path.join(tmp(), name);

/**
 * Real result files: the eval JSON, a simulation OUT.json and a dense-baseline OUT.json of one small pruned model,
 * and a two-point sweep.
 */
function results(): string[] {
  const m = randomModel(fixtureConfig({ layers: [9, 7] }), { sparsity: 0.5, seed: 3 });
  for (const [name, t] of Object.entries(m.params)) if (name.endsWith('.thr')) t.data.fill(0.05);
  fs.writeFileSync(file('t.txt'), 'w2 w3 w4 w5 w6 w7\nw8 w9 w10 w11 w2 w3 w4\nw5 w5 w6 w2\n');
  saveNmap(file('m.nmap'), compile(m, loadTarget('tiny'), { modelName: 'm.egru' }));
  saveModel(file('m.egru'), m);
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); // the simulator's progress line
  try {
    runSimulate({ file: file('m.nmap'), text: file('t.txt'), split: 'test', 'sim-tokens': 0, schedule: 'sequential', json: file('sim.json') });
    runSimulate({ file: file('m.egru'), target: 'dense-gpu', text: file('t.txt'), split: 'test', 'sim-tokens': 0, schedule: 'sequential', json: file('gpu.json') });
  } finally {
    quiet.mockRestore();
  }
  const e = evaluate(m.config, m.params, encodeTextFile(file('t.txt'), m.vocab));
  fs.writeFileSync(file('eval.json'), JSON.stringify(evaluationJson(m, e, 'm.egru')));
  const point = (sparsity: number, perplexity: number, effective: number) => JSON.stringify({ point: { cell: 'egru', weight_decay: 0.01, sparsity }, perplexity, macs: { effective_per_token: effective } });
  fs.writeFileSync(file('sweep.jsonl'), [point(0.5, 12, 400), point(0.9, 14, 90)].join('\n') + '\n');
  return [file('eval.json'), file('sim.json'), file('gpu.json'), file('sweep.jsonl')];
}

describe('report page in headless Chromium', () => {
  (runIt ? it : it.skip)('renders every plot, logs no error, fetches nothing, and screenshots', async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing under CI: ${INSTALL}.`);
    const out = file('report.html');
    const printed = await runReport({ files: results(), out });
    const plots = Number(/\((\d+) plots\)/.exec(printed)?.[1]);
    expect(plots).toBe(6); // energy, latency, one core map, activity, MACs, sweep… and nothing else
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`request: ${r.url()}`));
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
      const boxes = await page.$$eval('svg[data-plot]', (svgs) =>
        svgs.map((svg) => {
          const r = svg.getBoundingClientRect();
          const marks = svg.querySelectorAll('path, rect, text').length;
          return { plot: svg.getAttribute('data-plot'), width: r.width, height: r.height, marks };
        }),
      );
      expect(boxes).toHaveLength(plots);
      for (const b of boxes) {
        expect(b.width).toBeGreaterThan(50);
        expect(b.height).toBeGreaterThan(50);
        expect(b.marks).toBeGreaterThan(5);
      }
      expect(await page.locator('table td').count()).toBeGreaterThan(10);
      expect(await page.locator('td', { hasText: /^dense baseline$/ }).count()).toBe(1);
      const shot = file('report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
