/**
 * `bench sample-efficiency`: every algorithm x seed trains on Twenty Questions from the same
 * reference policy with the same shared settings (one `train` process per run, --jobs at a time),
 * then the training curves are read back and compared (src/core/metrics/sample-efficiency.ts):
 * trajectories needed until the smoothed rollout return reaches --threshold, and the return at
 * fixed budgets. Prints a table and writes DIR/sample-efficiency.json (the lab's Compare view
 * overlays that file). A run whose directory already holds a finished run with the same arguments
 * is reused, so an interrupted bench picks up where it stopped.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, defaultConfig } from '../../core/config';
import { curveFromRows, efficiencyRatio, smoothedCurve, summariseAlgorithm, type AlgorithmSummary, type SmoothedPoint } from '../../core/metrics/sample-efficiency';
import { writeAtomic } from '../../storage/model-files';

export const help = `bench sample-efficiency [--algos LIST] [--seeds N] [--budget T] [--threshold R] [--window W] [--jobs J] [--out DIR] [--json] [key=value ...]
  Trains each algorithm (default archer,ppo,ppo-archer,grpo,filtered_bc,apo) with seeds 1..N (3) on
  Twenty Questions (env.subset=subset10 unless overridden) from the shipped reference policy for
  about T trajectories (320; A*PO's stage-1 reference samples count), J runs at a time (default: the
  number of CPUs, at most 2). Reports per algorithm the trajectories until the rollout return averaged
  over the last W (64) rollouts (a whole window of them) reaches R (-13.5; the reference scores about -14.8), the return at
  a third, two thirds and all of T, and the final evaluation (--eval-episodes games, 50); the headline
  is ArCHer / PPO (trajectories to the threshold; below 1: ArCHer needed fewer).
  Writes DIR (runs/bench-sample-efficiency)/<algo>-s<seed>/ (each run's own files) and
  DIR/sample-efficiency.json; key=value settings apply to every run.`;

/** The settings every run shares (ArCHer's tuned subset10 settings from the engine issue). */
export const SHARED = [
  'env.subset=subset10', 'algorithm.rollout_size=16', 'algorithm.batch_size=32', 'algorithm.actor_epochs=2',
  'algorithm.lm_lr=2e-4', 'algorithm.gamma=0.95',
];

/** What each named variant trains with, on top of SHARED. */
export const VARIANTS: Record<string, { algo: string; settings: string[]; label: string }> = {
  archer: { algo: 'archer', settings: ['algorithm.critic_epochs=10', 'algorithm.warmup_iterations=5'], label: 'ArCHer' },
  // The on-policy trainers make one pass over each rollout (every turn, minibatches of batch_size):
  // already 8x ArCHer's actor steps per iteration here, and the bench's wall time.
  ppo: { algo: 'ppo', settings: ['algorithm.adv_estimator=gae', 'algorithm.actor_epochs=1'], label: 'PPO (GAE)' },
  'ppo-archer': { algo: 'ppo', settings: ['algorithm.adv_estimator=archer', 'algorithm.actor_epochs=1'], label: 'PPO + ArCHer estimator' },
  grpo: { algo: 'grpo', settings: ['grpo.group_size=4', 'algorithm.actor_epochs=1'], label: 'GRPO' },
  filtered_bc: { algo: 'filtered_bc', settings: [], label: 'filtered BC' },
  apo: { algo: 'apo', settings: ['apo.num_prompts=32', 'apo.num_ref_samples=4', 'apo.beta2=0.5'], label: 'A*PO' },
};

export interface BenchRun {
  variant: string;
  seed: number;
  dir: string;
  seconds: number;
  reused: boolean;
  /** Training curve: trajectories (stage 1 included), that iteration's mean rollout return and its rollouts. */
  curve: { trajectories: number; returnMean: number; episodes: number }[];
  smoothed: SmoothedPoint[];
  finalEval?: { return: number; se: number; success: number };
  /** The same evaluation of the reference policy (iteration 0; identical seeds in every run). */
  referenceEval?: { return: number; se: number; success: number };
}

function runTrain(args: string[], log: (text: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, 'src/cli/main.ts', 'train', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) log(`  train ${args.join(' ')} failed (exit ${code}):\n${tail}\n`);
      resolve(code ?? 1);
    });
  });
}

async function readJsonl(path: string): Promise<Record<string, number>[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number>);
}

/** The training curve of a finished run directory (A*PO's reference episodes added to its trajectories). */
export async function readCurve(dir: string): Promise<Pick<BenchRun, 'curve' | 'finalEval' | 'referenceEval'>> {
  const rows = await readJsonl(join(dir, 'metrics.jsonl'));
  const curve = curveFromRows(rows);
  const evalOf = (r: Record<string, number> | undefined) => (r ? { return: r['eval/return/mean']!, se: r['eval/return/se']!, success: r['eval/success_rate']! } : undefined);
  const evals = rows.filter((r) => r['eval/return/mean'] !== undefined);
  const last = evals[evals.length - 1];
  return { curve, referenceEval: evalOf(evals.find((r) => r.iteration === 0)), finalEval: last && last.iteration! > 0 ? evalOf(last) : undefined };
}

/** Runs the tasks, `jobs` at a time; a failed task does not stop the others, and the first failure is thrown at the end. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        out[i] = await tasks[i]!();
      } catch (e) {
        failures.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return out;
}

const fmt = (x: number | null | undefined, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('bench sample-efficiency', argv, {
    algos: { type: 'string' }, seeds: { type: 'string' }, budget: { type: 'string' }, threshold: { type: 'string' },
    window: { type: 'string' }, jobs: { type: 'string' }, out: { type: 'string' }, 'eval-episodes': { type: 'string' }, json: { type: 'boolean' },
  }, true);
  const variants = String(values.algos ?? Object.keys(VARIANTS).join(',')).split(',').map((a) => a.trim()).filter(Boolean);
  for (const v of variants) if (!VARIANTS[v]) throw new UsageError(`bench sample-efficiency: unknown algorithm "${v}" (choose from ${Object.keys(VARIANTS).join(', ')})`);
  const seeds = intFlag('bench sample-efficiency', 'seeds', values.seeds, 3, 1, 100);
  const budget = intFlag('bench sample-efficiency', 'budget', values.budget, 320, 1, 10_000_000);
  const window = intFlag('bench sample-efficiency', 'window', values.window, 64, 1, 1_000_000);
  const jobs = intFlag('bench sample-efficiency', 'jobs', values.jobs, Math.max(1, Math.min(2, cpus().length)), 1, 64);
  const evalEpisodes = intFlag('bench sample-efficiency', 'eval-episodes', values['eval-episodes'], 50, 1, 100_000);
  const threshold = values.threshold === undefined ? -13.5 : Number(values.threshold);
  if (!Number.isFinite(threshold)) throw new UsageError(`bench sample-efficiency: --threshold must be a number, got "${values.threshold}"`);
  const dir = String(values.out ?? join('runs', 'bench-sample-efficiency'));
  // Per run: SHARED, then the variant's own settings, then the command line's (which win).
  const settingsOf = (variant: string) => [...SHARED, ...VARIANTS[variant]!.settings, ...positionals];
  const base = applyOverrides(defaultConfig(), [...SHARED, ...positionals]);
  // Checked before any run starts: every variant's settings, and A*PO's stage 1 within the budget.
  const plans = new Map(variants.map((variant) => {
    const cfg = applyOverrides(defaultConfig(), settingsOf(variant));
    const stage1 = VARIANTS[variant]!.algo === 'apo' ? cfg.apo.num_prompts * cfg.apo.num_ref_samples : 0;
    if (stage1 >= budget) throw new UsageError(`bench sample-efficiency: A*PO's stage 1 alone (${stage1} reference episodes) uses the whole budget of ${budget}: lower apo.num_prompts or apo.num_ref_samples, or raise --budget`);
    return [variant, { settings: settingsOf(variant), iterations: Math.max(1, Math.ceil((budget - stage1) / cfg.algorithm.rollout_size)) }];
  }));
  const budgets = [Math.round(budget / 3), Math.round((2 * budget) / 3), budget];
  await mkdir(dir, { recursive: true });

  const tasks = variants.flatMap((variant) =>
    Array.from({ length: seeds }, (_, k) => async (): Promise<BenchRun> => {
      const v = VARIANTS[variant]!;
      const seed = k + 1;
      const { settings, iterations } = plans.get(variant)!;
      const runDir = join(dir, `${variant}-s${seed}`);
      const args = ['--env', 'twenty-questions', '--algo', v.algo, '--iterations', String(iterations), '--seed', String(seed),
        '--eval-every', '1000000', '--eval-episodes', String(evalEpisodes), '--out', runDir, ...settings];
      const marker = join(runDir, 'bench-args.json');
      const same = await readFile(marker, 'utf8').then((t) => t === JSON.stringify(args), () => false);
      const t0 = Date.now();
      let reused = false;
      if (same) {
        reused = true;
        err(`reusing ${runDir} (same arguments, finished)\n`);
      } else {
        // A run directory of an earlier bench with other arguments is started afresh; anything else is left alone.
        if (await stat(runDir).then(() => true, () => false)) {
          if (!(await stat(marker).then(() => true, () => false))) throw new UsageError(`bench sample-efficiency: ${runDir} exists and is not a bench run: choose another --out`);
          await rm(runDir, { recursive: true });
        }
        err(`training ${variant} seed ${seed}: ${iterations} iterations -> ${runDir}\n`);
        const code = await runTrain(args, err);
        if (code !== 0) throw new Error(`bench sample-efficiency: the ${variant} run with seed ${seed} failed (exit ${code}); see above`);
        await writeFile(marker, JSON.stringify(args));
      }
      const { curve, finalEval, referenceEval } = await readCurve(runDir);
      const seconds = (Date.now() - t0) / 1000;
      err(`done ${variant} seed ${seed}: ${curve[curve.length - 1]?.trajectories ?? 0} trajectories${reused ? '' : `, ${seconds.toFixed(0)} s`}\n`);
      return { variant, seed, dir: runDir, seconds, reused, curve, finalEval, referenceEval, smoothed: smoothedCurve(curve, window) };
    }),
  );
  const runs = await pool(tasks, jobs);

  const summaries: (AlgorithmSummary & { label: string; finalEval: number | null })[] = variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const evals = mine.map((r) => r.finalEval?.return).filter((x): x is number => x !== undefined);
    return {
      ...summariseAlgorithm(variant, mine.map((r) => r.smoothed), threshold, budgets),
      label: VARIANTS[variant]!.label,
      finalEval: evals.length === mine.length ? evals.reduce((a, b) => a + b, 0) / evals.length : null,
    };
  });
  const archer = summaries.find((s) => s.algorithm === 'archer');
  const ppo = summaries.find((s) => s.algorithm === 'ppo');
  const headline = archer && ppo ? efficiencyRatio(archer, ppo, budget) : undefined;
  const result = {
    bench: 'sample-efficiency',
    env: 'twenty-questions',
    subset: base.env.subset,
    threshold,
    window,
    budget,
    budgets,
    seeds,
    shared: [...SHARED, ...positionals],
    variants: Object.fromEntries(variants.map((v) => [v, { ...VARIANTS[v]!, settings: settingsOf(v) }])),
    reference: runs[0]?.referenceEval ?? null,
    summaries,
    headline: headline ? { archerOverPpo: headline.value, text: headline.text } : null,
    runs: runs.map(({ variant, seed, dir: d, seconds, reused, curve, smoothed, finalEval }) => ({ variant, seed, dir: d, seconds, reused, curve, smoothed, finalEval })),
    command: `npm run bench -- sample-efficiency ${argv.join(' ')}`.trim(),
    date: new Date().toISOString(),
  };
  await writeAtomic(join(dir, 'sample-efficiency.json'), `${JSON.stringify(result, null, 1)}\n`);
  if (values.json) {
    out(JSON.stringify(result));
    return;
  }
  out(`Sample efficiency on Twenty Questions (${base.env.subset}), ${seeds} seed(s), budget ${budget} trajectories; return = training rollouts averaged over the last ${window} (a threshold counts once a whole window is behind it); threshold ${threshold}`);
  if (result.reference) out(`reference policy: eval return ${fmt(result.reference.return)} (s.e. ${fmt(result.reference.se)}) on ${evalEpisodes} games, the same seeds as every final eval`);
  out(`algorithm               | reached | median traj. to ${threshold} | per seed          | ${budgets.map((b) => `return @${b}`.padStart(11)).join(' | ')} | final eval`);
  for (const s of summaries) {
    const perSeed = s.toThreshold.map((x) => (x === null ? `>${budget}` : String(x))).join(', ');
    out(`${s.label.padEnd(23)} | ${`${s.reached}/${s.seeds}`.padStart(7)} | ${(s.medianToThreshold === null ? `>${budget}` : String(s.medianToThreshold)).padStart(21)} | ${perSeed.padEnd(17)} | ${budgets.map((b) => fmt(s.atBudget[String(b)]).padStart(11)).join(' | ')} | ${fmt(s.finalEval)}`);
  }
  if (headline) out(`headline: ArCHer / PPO trajectories to ${threshold} = ${headline.text}`);
  out(`written: ${join(dir, 'sample-efficiency.json')}`);
}
