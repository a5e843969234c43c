/**
 * The report page in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core) opens
 * report.html from a file:// URL built from real `neuromap eval` and `neuromap simulate` output (a map's run and
 * a model's dense baseline) and a sweep, and the report `neuromap demo` writes, at 1280 px wide: every plot
 * rendered with a non-zero size, no console error, no request for anything outside the file, no horizontal
 * scroll (nor a table or figure wider than its box: the headline table is not clipped), and a full-page
 * screenshot. Without /usr/bin/chromium this test fails and says how to install it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { spawnSync } from 'child_process';
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

interface PageCheck {
  plots: number;
  /** Widths in CSS pixels: the page, and each table or figure box whose content is wider than the box. */
  scrollWidth: number;
  clientWidth: number;
  clipped: string[];
  cells: number;
  text: string;
  problems: string[];
}

/**
 * Opens a report at 1280 px wide in headless Chromium: every plot drawn with a size, nothing fetched, no console
 * error, and what would make a reader scroll sideways (the page wider than the window, or a table or figure
 * wider than its box); takes a full-page screenshot.
 */
async function openReport(html: string, shot: string): Promise<PageCheck> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'neuromap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`request: ${r.url()}`));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const boxes = await page.$$eval('svg[data-plot]', (svgs) =>
      svgs.map((svg) => {
        const r = svg.getBoundingClientRect();
        return { plot: svg.getAttribute('data-plot'), width: r.width, height: r.height, marks: svg.querySelectorAll('path, rect, text').length };
      }),
    );
    for (const b of boxes) if (b.width < 50 || b.height < 50 || b.marks <= 5) problems.push(`plot ${b.plot} drawn at ${b.width}×${b.height} with ${b.marks} marks`);
    // A string, run in the page: the tests are compiled without the DOM's types.
    const layout = (await page.evaluate(`(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      clipped: [...document.querySelectorAll('.scroll, figure, section')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.closest('section')?.querySelector('h2')?.textContent + ': ' + e.scrollWidth + ' > ' + e.clientWidth),
      cells: document.querySelectorAll('table td').length,
      text: document.body.innerText,
    }))()`)) as Omit<PageCheck, 'plots' | 'problems'>;
    await page.screenshot({ path: shot, fullPage: true });
    if (fs.statSync(shot).size < 10_000) problems.push(`screenshot ${shot} is nearly empty`);
    return { plots: boxes.length, ...layout, problems };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

describe('report page in headless Chromium, 1280 px wide', () => {
  beforeAll(() => {
    if (runIt && !fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing under CI: ${INSTALL}.`);
  });

  (runIt ? it : it.skip)('renders every plot, logs no error, fetches nothing, scrolls only downwards, and screenshots', async () => {
    const out = file('report.html');
    const printed = await runReport({ files: results(), out });
    const plots = Number(/\((\d+) plots\)/.exec(printed)?.[1]);
    // energy, latency, the core map, activity per layer and per unit, the raster, MACs, sweep… and nothing else
    expect(plots).toBe(8);
    const page = await openReport(out, file('report.png'));
    expect(page.problems).toEqual([]);
    expect(page.plots).toBe(plots);
    expect(page.clipped).toEqual([]);
    expect(page.scrollWidth).toBeLessThanOrEqual(page.clientWidth);
    expect(page.cells).toBeGreaterThan(10);
    expect(page.text).toMatch(/What the runs show/);
    expect(page.text).toMatch(/neuromap \d+\.\d+\.\d+/);
  });

  (runIt ? it : it.skip)('opens the report the demo writes (the README’s first command, at a few tokens)', async () => {
    const outDir = file('demo');
    const run = spawnSync(process.execPath, ['bin/neuromap.js', 'demo', '--out-dir', outDir, '--eval-tokens', '60', '--sim-tokens', '3'], {
      cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.status !== 0) throw new Error(`demo failed (status ${run.status}):\n${run.stderr}`);
    const page = await openReport(path.join(outDir, 'report.html'), file('demo.png'));
    expect(page.problems).toEqual([]);
    // energy, latency, the core map (loihi2 and spinnaker2 on one scale), activity per layer and per unit, raster, MACs
    expect(page.plots).toBe(7);
    expect(page.clipped).toEqual([]);
    expect(page.scrollWidth).toBeLessThanOrEqual(page.clientWidth);
    // Settings, version and token counts on the page; the answers as sentences.
    expect(page.text).toMatch(/neuromap \d+\.\d+\.\d+/);
    expect(page.text).toMatch(/corpus brown .*seed 1; 60 test tokens evaluated per model, 3 simulated per target; decoder on the host CPU/);
    expect(page.text).toMatch(/loihi2 \(int8\): [\d.,]+× less energy per token than dense-cpu/);
    expect(page.text).toMatch(/pruned: [\d.,]+× fewer effective MACs per token than dense/);
    expect(page.text).toMatch(/Each perplexity is over its own run's tokens \(in brackets, 3, 60\)/);
  }, 300_000);
});
