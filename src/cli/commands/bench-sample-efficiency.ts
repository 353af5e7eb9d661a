/**
 * `bench sample-efficiency`: every algorithm x seed trains on Twenty Questions from the same
 * reference policy with the same shared settings (one `train` process per run, --jobs at a time),
 * then the training curves are read back and compared (src/core/metrics/sample-efficiency.ts):
 * trajectories needed until the smoothed rollout return reaches --threshold, and the return at
 * fixed budgets. Prints a table and writes DIR/sample-efficiency.json (the lab's Compare view
 * overlays that file). A run whose directory already holds a finished run with the same arguments
 * is reused, so an interrupted bench picks up where it stopped.
 *
 * With --tune every algorithm first gets the same tuning budget: the same number of settings
 * (TUNING: two learning rates x two amounts of updates per sample), each trained with the same
 * --tune-seeds seeds (101, 102, ...), which are then not used again; the setting with the best mean
 * final evaluation is the one its reported seeds (1..N) train with.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, defaultConfig } from '../../core/config';
import { curveFromRows, efficiencyRatio, smoothedCurve, summariseAlgorithm, type AlgorithmSummary, type SmoothedPoint } from '../../core/metrics/sample-efficiency';
import { writeAtomic } from '../../storage/model-files';

export const help = `bench sample-efficiency [--algos LIST] [--seeds N] [--budget T] [--threshold R] [--window W] [--jobs J] [--tune] [--tune-seeds K] [--out DIR] [--json] [key=value ...]
  Trains each algorithm (default archer,ppo,ppo-bilevel,ppo-archer,grpo,filtered_bc,apo) with seeds
  1..N (3) on Twenty Questions (env.subset=archer10 unless overridden) from the shipped reference
  policy for about T trajectories (320; A*PO's stage-1 reference samples count), J runs at a time
  (default: the number of CPUs, at most 2). Reports per algorithm the trajectories until the rollout
  return averaged over the last W (64) rollouts (a whole window of them) reaches R (-15.5: the
  archer10 reference scores about -16.6; give R for another game), the training seconds until then,
  the return at a third, two thirds and all of T, and the final evaluation (--eval-episodes games,
  50); the headline is ArCHer / PPO in trajectories to the threshold (below 1: ArCHer needed fewer)
  and in seconds. --tune: first, for each algorithm, its 4 TUNING settings (two learning rates x two
  amounts of updates per sample; they override the command line's) x K (2) tuning seeds (101, 102,
  ...); each algorithm's reported seeds then train with its best setting (mean final eval).
  Writes DIR (runs/bench-sample-efficiency)/<algo>-s<seed>/ (each run's own files) and
  DIR/sample-efficiency.json; key=value settings apply to every run.`;

/** The settings every run shares: the lab's game (ArCHer's own ten words) and its rollout size, batch and discount. */
export const SHARED = [
  'env.subset=archer10', 'algorithm.rollout_size=16', 'algorithm.batch_size=32', 'algorithm.actor_epochs=2',
  'algorithm.lm_lr=2e-4', 'algorithm.gamma=0.95',
];

/**
 * The tuning budget, the same for every algorithm: its learning rate at two values (x1, x2.5) and its
 * updates per sample at two (x1, x2). ArCHer's updates are its critic and actor steps an iteration;
 * the on-policy trainers' and A*PO's their passes over each rollout; filtered BC's its passes over
 * the kept episodes.
 */
export const TUNING: Record<string, string[][]> = (() => {
  const lrs = ['algorithm.lm_lr=2e-4', 'algorithm.lm_lr=5e-4'];
  const grid = (updates: string[][]) => lrs.flatMap((lr) => updates.map((u) => [lr, ...u]));
  const passes = grid([['algorithm.actor_epochs=1'], ['algorithm.actor_epochs=2']]);
  return {
    archer: grid([['algorithm.critic_epochs=10', 'algorithm.actor_epochs=2'], ['algorithm.critic_epochs=20', 'algorithm.actor_epochs=4']]),
    ppo: passes,
    'ppo-bilevel': passes,
    'ppo-archer': passes,
    grpo: passes,
    filtered_bc: grid([['algorithm.actor_epochs=2'], ['algorithm.actor_epochs=4']]),
    apo: grid([['algorithm.actor_epochs=2'], ['algorithm.actor_epochs=4']]),
  };
})();

/** What each named variant trains with, on top of SHARED. */
export const VARIANTS: Record<string, { algo: string; settings: string[]; label: string }> = {
  archer: { algo: 'archer', settings: ['algorithm.critic_epochs=10', 'algorithm.warmup_iterations=5'], label: 'ArCHer' },
  // The on-policy trainers make one pass over each rollout (every turn, minibatches of batch_size):
  // already 8x ArCHer's actor steps per iteration here, and the bench's wall time.
  ppo: { algo: 'ppo', settings: ['algorithm.adv_estimator=gae', 'algorithm.actor_epochs=1'], label: 'PPO (GAE)' },
  'ppo-bilevel': { algo: 'ppo', settings: ['algorithm.adv_estimator=bi_level_gae', 'algorithm.actor_epochs=1'], label: 'PPO + bi-level GAE (RAGEN)' },
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
    tune: { type: 'boolean' }, 'tune-seeds': { type: 'string' },
  }, true);
  const tune = values.tune === true;
  const tuneSeedCount = intFlag('bench sample-efficiency', 'tune-seeds', values['tune-seeds'], 2, 1, 50);
  if (values['tune-seeds'] !== undefined && !tune) throw new UsageError('bench sample-efficiency: --tune-seeds needs --tune');
  const variants = String(values.algos ?? Object.keys(VARIANTS).join(',')).split(',').map((a) => a.trim()).filter(Boolean);
  for (const v of variants) if (!VARIANTS[v]) throw new UsageError(`bench sample-efficiency: unknown algorithm "${v}" (choose from ${Object.keys(VARIANTS).join(', ')})`);
  const seeds = intFlag('bench sample-efficiency', 'seeds', values.seeds, 3, 1, 100);
  const budget = intFlag('bench sample-efficiency', 'budget', values.budget, 320, 1, 10_000_000);
  const window = intFlag('bench sample-efficiency', 'window', values.window, 64, 1, 1_000_000);
  const jobs = intFlag('bench sample-efficiency', 'jobs', values.jobs, Math.max(1, Math.min(2, cpus().length)), 1, 64);
  const evalEpisodes = intFlag('bench sample-efficiency', 'eval-episodes', values['eval-episodes'], 50, 1, 100_000);
  const threshold = values.threshold === undefined ? -15.5 : Number(values.threshold);
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

  /** One train process (or the finished run already in runDir with the same arguments). */
  const trainOne = async (variant: string, seed: number, settings: string[], runDir: string, label: string): Promise<BenchRun> => {
    const v = VARIANTS[variant]!;
    const { iterations } = plans.get(variant)!;
    const args = ['--env', 'twenty-questions', '--algo', v.algo, '--iterations', String(iterations), '--seed', String(seed),
      '--eval-every', '1000000', '--eval-episodes', String(evalEpisodes), '--out', runDir, ...settings];
    const marker = join(runDir, 'bench-args.json');
    // Written beside the run when it starts: a directory holding it is this bench's own (finished or interrupted).
    const started = join(runDir, '..', `${basename(runDir)}.bench-started`);
    const exists = (path: string) => stat(path).then(() => true, () => false);
    const same = await readFile(marker, 'utf8').then((t) => t === JSON.stringify(args), () => false);
    const t0 = Date.now();
    let reused = false;
    if (same) {
      reused = true;
      err(`reusing ${runDir} (same arguments, finished)\n`);
    } else {
      // A run directory of an earlier bench (other arguments, or interrupted) is started afresh; anything else is left alone.
      if (await exists(runDir)) {
        if (!(await exists(marker)) && !(await exists(started))) throw new UsageError(`bench sample-efficiency: ${runDir} exists and is not a bench run: choose another --out`);
        await rm(runDir, { recursive: true });
      }
      await mkdir(join(runDir, '..'), { recursive: true });
      await writeFile(started, JSON.stringify(args));
      err(`training ${label}: ${iterations} iterations -> ${runDir}\n`);
      const code = await runTrain(args, err);
      if (code !== 0) throw new Error(`bench sample-efficiency: the ${label} run failed (exit ${code}); see above`);
      await writeFile(marker, JSON.stringify(args));
    }
    const { curve, finalEval, referenceEval } = await readCurve(runDir);
    const seconds = (Date.now() - t0) / 1000;
    err(`done ${label}: ${curve[curve.length - 1]?.trajectories ?? 0} trajectories${reused ? '' : `, ${seconds.toFixed(0)} s`}\n`);
    return { variant, seed, dir: runDir, seconds, reused, curve, finalEval, referenceEval, smoothed: smoothedCurve(curve, window) };
  };

  // Tuning first (--tune): every algorithm's TUNING settings x the tuning seeds; the best mean final eval wins.
  const tuning: Record<string, { seeds: number[]; grid: { settings: string[]; evals: (number | null)[]; mean: number | null }[]; chosen: string[] }> = {};
  if (tune) {
    const tuneSeeds = Array.from({ length: tuneSeedCount }, (_, k) => 101 + k);
    const plan = variants.flatMap((variant) => TUNING[variant]!.flatMap((extra, i) => tuneSeeds.map((seed) => ({ variant, i, extra, seed }))));
    const tuned = await pool(plan.map(({ variant, i, extra, seed }) => () =>
      trainOne(variant, seed, [...plans.get(variant)!.settings, ...extra], join(dir, 'tuning', `${variant}-t${i + 1}-s${seed}`), `${variant} setting ${i + 1} (${extra.join(' ')}) tuning seed ${seed}`)), jobs);
    for (const variant of variants) {
      const grid = TUNING[variant]!.map((extra, i) => {
        const evals = tuned.filter((_, k) => plan[k]!.variant === variant && plan[k]!.i === i).map((r) => r.finalEval?.return ?? null);
        const ok = evals.filter((x): x is number => x !== null);
        return { settings: extra, evals, mean: ok.length === evals.length && ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : null };
      });
      const best = grid.reduce((a, g) => (g.mean !== null && (a.mean === null || g.mean > a.mean) ? g : a), grid[0]!);
      tuning[variant] = { seeds: tuneSeeds, grid, chosen: best.settings };
      err(`tuned ${variant}: ${grid.map((g, i) => `setting ${i + 1} ${fmt(g.mean)}`).join(', ')}; chosen: ${best.settings.join(' ')}\n`);
    }
  }
  const reportedSettings = (variant: string) => [...plans.get(variant)!.settings, ...(tuning[variant]?.chosen ?? [])];

  const tasks = variants.flatMap((variant) =>
    Array.from({ length: seeds }, (_, k) => () => trainOne(variant, k + 1, reportedSettings(variant), join(dir, `${variant}-s${k + 1}`), `${variant} seed ${k + 1}`)),
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
  // The same ratio on the wall-clock axis: training seconds to the threshold (medians over seeds).
  const secondsRatio = archer && ppo && archer.medianSecondsToThreshold !== null && ppo.medianSecondsToThreshold !== null
    ? { value: archer.medianSecondsToThreshold / ppo.medianSecondsToThreshold, text: `${(archer.medianSecondsToThreshold / ppo.medianSecondsToThreshold).toFixed(2)} (${archer.medianSecondsToThreshold.toFixed(0)} s / ${ppo.medianSecondsToThreshold.toFixed(0)} s)` }
    : null;
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
    variants: Object.fromEntries(variants.map((v) => [v, { ...VARIANTS[v]!, settings: reportedSettings(v) }])),
    tuning: tune ? tuning : null,
    reference: runs[0]?.referenceEval ?? null,
    summaries,
    headline: headline ? { archerOverPpo: headline.value, text: headline.text, secondsText: secondsRatio?.text ?? null } : null,
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
  if (tune) {
    out(`tuning (final eval, mean of seeds ${tuning[variants[0]!]!.seeds.join(', ')}; the best setting trains the reported seeds):`);
    for (const v of variants) out(`  ${VARIANTS[v]!.label.padEnd(23)} ${tuning[v]!.grid.map((g) => `[${g.settings.join(' ')}] ${fmt(g.mean)}`).join('  ')}`);
  }
  out(`algorithm               | reached | median traj. to ${threshold} | per seed          | median s to it | s a run | ${budgets.map((b) => `return @${b}`.padStart(11)).join(' | ')} | final eval`);
  for (const s of summaries) {
    const perSeed = s.toThreshold.map((x) => (x === null ? `>${budget}` : String(x))).join(', ');
    out(`${s.label.padEnd(23)} | ${`${s.reached}/${s.seeds}`.padStart(7)} | ${(s.medianToThreshold === null ? `>${budget}` : String(s.medianToThreshold)).padStart(21)} | ${perSeed.padEnd(17)} | ${fmt(s.medianSecondsToThreshold, 0).padStart(14)} | ${fmt(s.meanSeconds, 0).padStart(7)} | ${budgets.map((b) => fmt(s.atBudget[String(b)]).padStart(11)).join(' | ')} | ${fmt(s.finalEval)}`);
  }
  if (headline) out(`headline: ArCHer / PPO trajectories to ${threshold} = ${headline.text}${secondsRatio ? `; training seconds to it = ${secondsRatio.text}` : ''}`);
  out(`written: ${join(dir, 'sample-efficiency.json')}`);
}
