/**
 * `bench lab-run`: the lab's default run in headless Chromium, the way a learner starts it. For each
 * seed a fresh browser profile (no saved run to resume) opens the built app with `seed=S` and any
 * key=value settings in the link, evaluates the reference policy on the evaluation games the CLI
 * uses (seeds from 1,000,000), presses Start, presses Pause after the given minutes (the iteration
 * in flight finishes), and evaluates the trained actor on the same games. Reports per seed the
 * backend, iterations, trajectories, training seconds, the rollout return of the first and last
 * iterations and the evaluation's lift over the reference; then the lifts' mean and spread.
 */
import { parseFlags, intFlag, UsageError } from '../args';
import { applyOverrides, labDefaults, validateConfig } from '../../core/config';
import { mean, sampleStd, stats } from '../../core/metrics/stats';
import { writeAtomic } from '../../storage/model-files';
import { withBuiltApp } from './browser-app';
import { join } from 'node:path';

export const help = `bench lab-run [--minutes M] [--seeds N] [--eval-episodes E] [--out FILE] [--json] [key=value ...]
  The lab's default run in headless Chromium (the built app, its own worker and backend choice),
  as a learner starts it: for seeds 1..N (3), a fresh browser profile opens the lab with seed=S
  (and key=value in the link), evaluates the reference policy on E (200) games with the CLI's
  evaluation seeds (1,000,000 on), presses Start, after M (2) minutes presses Pause, and evaluates
  the trained actor on the same games. Prints per seed the iterations, trajectories, training
  seconds, the first and last iterations' rollout return and the evaluation's lift; then the mean
  and sd of the lifts. Writes FILE (runs/bench-lab-run.json) after every seed.`;

export const EVAL_SEED = 1_000_000;

export interface LabRunRow {
  seed: number;
  backend: string;
  iterations: number;
  trajectories: number;
  trainingSeconds: number;
  /** Mean rollout return of the first and of the last two iterations. */
  firstReturn: number;
  lastReturn: number;
  referenceEval: number;
  trainedEval: number;
  lift: number;
  trainedInvalid: number;
  referenceInvalid: number;
}

type Eval = { meanReturn: number; invalidRate: number };

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('bench lab-run', argv, {
    minutes: { type: 'string' }, seeds: { type: 'string' }, 'eval-episodes': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
  }, true);
  const minutes = values.minutes === undefined ? 2 : Number(values.minutes);
  if (!(minutes > 0 && minutes <= 600)) throw new UsageError(`bench lab-run: --minutes must be a number in (0, 600], got "${values.minutes}"`);
  const seeds = intFlag('bench lab-run', 'seeds', values.seeds, 3, 1, 100);
  const episodes = intFlag('bench lab-run', 'eval-episodes', values['eval-episodes'], 200, 1, 100_000);
  for (const p of positionals) if (/^seed=/.test(p)) throw new UsageError('bench lab-run: the seeds are 1..--seeds; give no seed=');
  // The same check the lab makes, so a bad setting fails here with its key, not in the page.
  validateConfig(applyOverrides(labDefaults(), positionals));
  const file = String(values.out ?? join('runs', 'bench-lab-run.json'));
  const rows: LabRunRow[] = [];
  const command = `npm run bench -- lab-run ${argv.join(' ')}`.trim();
  const result = () => {
    const lifts = stats(rows.map((r) => r.lift));
    return { bench: 'lab-run', minutes, evalEpisodes: episodes, evalSeed: EVAL_SEED, overrides: positionals, rows, lift: { mean: lifts.mean, sd: sampleStd(rows.map((r) => r.lift)), min: lifts.min, max: lifts.max }, command, date: new Date().toISOString() };
  };
  await withBuiltApp(err, async (url, browser) => {
    for (let seed = 1; seed <= seeds; seed++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(0);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${url}#${[`seed=${seed}`, ...positionals].map(encodeURIComponent).join('&')}`);
        await page.waitForFunction(() => window.archerLab?.status().state === 'ready', undefined, { timeout: 180_000 });
        err(`seed ${seed}: evaluating the reference policy on ${episodes} games\n`);
        const reference = (await page.evaluate(([n, s]) => window.archerLab!.evaluate(n, s), [episodes, EVAL_SEED] as const)) as Eval;
        await page.getByRole('button', { name: 'Start' }).click();
        const started = Date.now();
        while (Date.now() - started < minutes * 60_000) {
          await page.waitForTimeout(Math.min(10_000, Math.max(0, minutes * 60_000 - (Date.now() - started))));
          const s = await page.evaluate(() => window.archerLab!.status());
          if (s.state === 'error') throw new Error(`seed ${seed}: the run failed: ${s.message ?? ''}`);
          err(`seed ${seed}: ${((Date.now() - started) / 1000).toFixed(0)} s, iteration ${s.iteration}, ${s.trajectories} trajectories\n`);
        }
        await page.getByRole('button', { name: 'Pause' }).click();
        await page.waitForFunction(() => window.archerLab?.status().state === 'paused', undefined, { timeout: 180_000 });
        const status = await page.evaluate(() => window.archerLab!.status());
        const metrics = await page.evaluate(() => window.archerLab!.metrics());
        err(`seed ${seed}: evaluating the trained actor\n`);
        const trained = (await page.evaluate(([n, s]) => window.archerLab!.evaluate(n, s), [episodes, EVAL_SEED] as const)) as Eval;
        if (errors.length) throw new Error(`seed ${seed}: page errors: ${errors.join('; ')}`);
        const returns = metrics.map((m) => m['rollout/return/mean']).filter((x): x is number => Number.isFinite(x));
        rows.push({
          seed,
          backend: String(status.backend),
          iterations: status.iteration,
          trajectories: status.trajectories,
          trainingSeconds: status.elapsedMs / 1000,
          firstReturn: mean(returns.slice(0, 2)),
          lastReturn: mean(returns.slice(-2)),
          referenceEval: reference.meanReturn,
          trainedEval: trained.meanReturn,
          lift: trained.meanReturn - reference.meanReturn,
          referenceInvalid: reference.invalidRate,
          trainedInvalid: trained.invalidRate,
        });
        await writeAtomic(file, `${JSON.stringify(result(), null, 1)}\n`);
      } finally {
        await context.close();
      }
    }
  });
  const r = result();
  if (values.json) {
    out(JSON.stringify(r));
    return;
  }
  out(`The lab's run in headless Chromium, ${minutes} minutes from Start, evaluated on ${episodes} games (seeds from ${EVAL_SEED})${positionals.length ? `, settings ${positionals.join(' ')}` : ' (the lab defaults)'}`);
  out('seed | backend | iterations | trajectories | training s | rollout return first -> last | reference eval | trained eval | lift  | invalid ref -> trained');
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  for (const x of rows) {
    out(`${String(x.seed).padStart(4)} | ${x.backend.padEnd(7)} | ${String(x.iterations).padStart(10)} | ${String(x.trajectories).padStart(12)} | ${f(x.trainingSeconds, 0).padStart(10)} | ${`${f(x.firstReturn)} -> ${f(x.lastReturn)}`.padStart(28)} | ${f(x.referenceEval).padStart(14)} | ${f(x.trainedEval).padStart(12)} | ${(x.lift >= 0 ? '+' : '') + f(x.lift)} | ${f(100 * x.referenceInvalid, 1)}% -> ${f(100 * x.trainedInvalid, 1)}%`);
  }
  out(`lift: mean ${f(r.lift.mean)} (sd ${f(r.lift.sd)}, ${rows.length} seeds, from ${f(r.lift.min)} to ${f(r.lift.max)})`);
  out(`written: ${file}`);
}
