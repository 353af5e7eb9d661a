/**
 * `bench throughput`: ArCHer's hot path at the lab's default settings (src/core/algos/archer/
 * throughput.ts: ms per rollout token, per critic step, per actor step, per full iteration) on the
 * cpu and wasm backends in Node, then on cpu, wasm, webgl and webgpu in headless Chromium: the
 * built app (dist/, built first when missing) is served by `vite preview` and each backend is timed
 * in the lab's own trainer worker through its test API. Prints a table, writes JSON.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, labDefaults, validateConfig, type Config } from '../../core/config';
import { TwentyQuestionsEnv, knowledgeBaseFor } from '../../core/envs/twenty-questions/env';
import { modelTokenizerFor } from '../../core/envs/twenty-questions/corpus';
import { ArcherTrainer } from '../../core/algos/archer/trainer';
import { measureThroughput, type ThroughputResult } from '../../core/algos/archer/throughput';
import { profileIteration, type PhaseProfile } from '../../core/algos/archer/profile';
import { createActor, createCritic } from '../../core/agents/models';
import { useBackend, type NodeBackend } from '../../core/models/node-backends';
import { loadModel, writeAtomic } from '../../storage/model-files';
import { runBaseline, type BaselineResult } from './bench-baseline';
import { withBuiltApp } from './browser-app';

export const help = `bench throughput [--node cpu,wasm] [--browser cpu,wasm,webgl,webgpu|none] [--repeats R] [--out FILE] [--json] [key=value ...]
       [--profile] [--baseline REV [--rounds N]]
  Times ArCHer's hot path at the lab's default settings (key=value changes them; warm-up iterations
  off) from the shipped reference policy: ms per rollout token, per critic step, per actor step and
  per full iteration, medians of R (3) repeats after a warm-up (a backend whose warm-up takes over a
  minute is timed once; an iteration that its parts put over two minutes is reported as their sum,
  marked "est."). Node backends first, then headless Chromium (CHROMIUM_PATH, default
  /usr/lib/chromium/chromium) on the built app, each browser backend given --browser-minutes (20).
  Writes FILE (runs/bench-throughput.json) after every backend.
  --profile (Node only): where one rollout, one critic step and one actor step spend their time, by
  part (actor generation, actor forward, critic forward, backward, Adam, other) with kernel and host
  milliseconds, by kind of op, and the costliest kernels.
  --baseline REV (Node only, --node one backend, default wasm): the working tree against git revision
  REV (unpacked to a temporary folder, this checkout's node_modules), N (3) rounds alternating base
  and head as fresh processes; prints each side's medians and the median of the paired head / base
  ratios (below 1: the working tree is faster). key=value settings go to both sides; pass the
  settings explicitly when the lab's defaults changed between the two.`;

const BROWSER_BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

export interface ThroughputRow extends Partial<ThroughputResult> {
  where: 'node' | 'chromium';
  backend: string;
  /** What tfjs reported it ran on (a fallback would differ from `backend`). */
  ran?: string;
  error?: string;
  /** --profile: where one rollout, one critic step and one actor step spend their time. */
  profile?: PhaseProfile[];
}

function listFlag(name: string, raw: string | boolean | undefined, fallback: string, allowed: readonly string[]): string[] {
  const text = String(raw ?? fallback).trim();
  if (text === 'none') return [];
  const items = text.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of items) if (!allowed.includes(x)) throw new UsageError(`bench throughput: --${name} takes ${allowed.join(', ')} or none, got "${x}"`);
  return items;
}

async function nodeRow(backend: NodeBackend, config: Config, repeats: number, err: (t: string) => void, profile = false): Promise<ThroughputRow> {
  try {
    await useBackend(backend);
    const refDir = join('public', 'models', `twenty-questions-${config.env.subset}`);
    const ref = await loadModel(refDir, 'actor');
    const tokenizer = modelTokenizerFor(ref.json.tokenizer, knowledgeBaseFor(config.env.subset), refDir);
    const actor = createActor(config, tokenizer);
    actor.setWeights(ref.weights);
    const critic = createCritic(config, tokenizer);
    const { subset } = config.env;
    const maxTurns = config.agent_proxy.max_turn;
    const trainer = new ArcherTrainer({ config, actor, critic, makeEnv: () => new TwentyQuestionsEnv({ subset, maxTurns }) });
    try {
      const onProgress = (m: string) => err(`node ${backend}: ${m}\n`);
      if (profile) return { where: 'node', backend, ran: tf.getBackend(), profile: await profileIteration(trainer, { onProgress }) };
      const r = await measureThroughput(trainer, repeats, { onProgress });
      return { where: 'node', backend, ran: tf.getBackend(), ...r };
    } finally {
      trainer.dispose();
      actor.dispose();
      critic.dispose();
    }
  } catch (e) {
    return { where: 'node', backend, error: e instanceof Error ? e.message : String(e) };
  }
}

async function browserRows(backends: BrowserBackend[], overrides: string[], repeats: number, timeoutMs: number, err: (t: string) => void, onRow: (row: ThroughputRow) => Promise<void>): Promise<ThroughputRow[]> {
  if (backends.length === 0) return [];
  return withBuiltApp(err, async (url, browser) => {
    const rows: ThroughputRow[] = [];
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(`${url}#${overrides.map(encodeURIComponent).join('&')}`);
    await page.waitForFunction(() => window.archerLab?.status().state === 'ready', undefined, { timeout: 120_000 });
    for (const backend of backends) {
      err(`chromium ${backend}: measuring (GPU backends on a software adapter take minutes)\n`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const r = await Promise.race([
          page.evaluate(([b, n]) => window.archerLab!.throughput(b as BrowserBackend, n as number), [backend, repeats] as const),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 60_000} minutes (--browser-minutes)`)), timeoutMs))),
        ]);
        rows.push({ where: 'chromium', ...(r as unknown as ThroughputResult), backend, ran: String(r.backend) });
      } catch (e) {
        rows.push({ where: 'chromium', backend, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
        await page.reload();
        await page.waitForFunction(() => window.archerLab?.status().state === 'ready', undefined, { timeout: 120_000 });
      } finally {
        clearTimeout(timer);
      }
      await onRow(rows[rows.length - 1]!);
    }
    return rows;
  });
}

const ms = (x: number | undefined, d = 0) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('bench throughput', argv, {
    node: { type: 'string' }, browser: { type: 'string' }, repeats: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    'browser-minutes': { type: 'string' }, profile: { type: 'boolean' }, baseline: { type: 'string' }, rounds: { type: 'string' },
  }, true);
  const profile = !!values.profile;
  const baseline = values.baseline === undefined ? undefined : String(values.baseline);
  if (profile && baseline !== undefined) throw new UsageError('bench throughput: --profile and --baseline are separate runs; give one');
  if (values.rounds !== undefined && baseline === undefined) throw new UsageError('bench throughput: --rounds counts --baseline rounds; give --baseline REV');
  const nodeOnly = profile || baseline !== undefined;
  if (nodeOnly && values.browser !== undefined && String(values.browser) !== 'none') {
    throw new UsageError(`bench throughput: ${profile ? '--profile' : '--baseline'} runs in Node only; drop --browser (or give --browser none)`);
  }
  const nodeBackends = listFlag('node', values.node, baseline !== undefined ? 'wasm' : 'cpu,wasm', ['cpu', 'wasm']) as NodeBackend[];
  const browserBackends = listFlag('browser', nodeOnly ? 'none' : values.browser, BROWSER_BACKENDS.join(','), BROWSER_BACKENDS) as BrowserBackend[];
  if (baseline !== undefined) {
    if (nodeBackends.length !== 1) throw new UsageError(`bench throughput: --baseline times one backend; give --node cpu or --node wasm, got "${nodeBackends.join(',')}"`);
    const rounds = intFlag('bench throughput', 'rounds', values.rounds, 3, 1, 100);
    return baselineRun(baseline, nodeBackends[0]!, rounds, positionals, values, argv, out, err);
  }
  const repeats = intFlag('bench throughput', 'repeats', values.repeats, 3, 1, 100);
  const browserMinutes = intFlag('bench throughput', 'browser-minutes', values['browser-minutes'], 20, 1, 1440);
  const overrides = ['algorithm.warmup_iterations=0', ...positionals];
  const config = validateConfig(applyOverrides(labDefaults(), overrides));
  if (config.env.name !== 'twenty-questions' || config.algorithm.name !== 'archer') throw new UsageError('bench throughput: times ArCHer on Twenty Questions (env.name and algorithm.name stay at their defaults)');
  const file = String(values.out ?? join('runs', 'bench-throughput.json'));

  const rows: ThroughputRow[] = [];
  const result = {
    bench: 'throughput',
    settings: { subset: config.env.subset, rolloutSize: config.algorithm.rollout_size, batchSize: config.algorithm.batch_size, criticEpochs: config.algorithm.critic_epochs, actorEpochs: config.algorithm.actor_epochs, maxTurns: config.agent_proxy.max_turn, actor: config.model, critic: config.critic },
    overrides,
    repeats,
    tfjs: tf.version_core,
    rows,
    command: `npm run bench -- throughput ${argv.join(' ')}`.trim(),
    date: new Date().toISOString(),
  };
  // Written after every backend, so an interrupted bench keeps what it measured.
  const save = async (row: ThroughputRow) => {
    if (!rows.includes(row)) rows.push(row);
    await writeAtomic(file, `${JSON.stringify(result, null, 1)}\n`);
  };
  for (const b of nodeBackends) await save(await nodeRow(b, config, repeats, err, profile));
  await browserRows(browserBackends, overrides, repeats, browserMinutes * 60_000, err, save);
  await writeAtomic(file, `${JSON.stringify(result, null, 1)}\n`);
  if (values.json) {
    out(JSON.stringify(result));
    return;
  }
  if (profile) {
    for (const r of rows) printProfile(r, out);
    out(`written: ${file}`);
    return;
  }
  out(`ArCHer hot path at the lab defaults (${config.env.subset}, ${config.algorithm.rollout_size} games an iteration, batch ${config.algorithm.batch_size}, ${config.algorithm.critic_epochs} critic + ${config.algorithm.actor_epochs} actor steps), median of up to ${repeats}`);
  out('where    | backend | ms / token | tokens / rollout | ms / critic step | ms / actor step | ms / iteration | repeats');
  for (const r of rows) {
    if (r.error) {
      out(`${r.where.padEnd(8)} | ${r.backend.padEnd(7)} | failed: ${r.error}`);
      continue;
    }
    const backend = r.ran && r.ran !== r.backend ? `${r.backend}->${r.ran}` : r.backend;
    const iteration = `${r.iterationEstimated ? 'est. ' : ''}${ms(r.iterationMs)}`;
    out(`${r.where.padEnd(8)} | ${backend.padEnd(7)} | ${ms(r.tokenMs, 2).padStart(10)} | ${ms(r.tokens).padStart(16)} | ${ms(r.criticStepMs).padStart(16)} | ${ms(r.actorStepMs).padStart(15)} | ${iteration.padStart(14)} | ${r.repeats}`);
  }
  out(`written: ${file}`);
}

function printProfile(r: ThroughputRow, out: (line: string) => void): void {
  if (r.error || !r.profile) {
    out(`node ${r.backend}: failed: ${r.error ?? 'no profile'}`);
    return;
  }
  const pct = (x: number, of: number) => `${((100 * x) / Math.max(of, 1e-9)).toFixed(0)}%`.padStart(4);
  out(`node ${r.backend}${r.ran && r.ran !== r.backend ? `->${r.ran}` : ''}: one rollout, one critic step, one actor step (tf.profile; kernel = time inside tfjs kernels, host = the rest)`);
  for (const p of r.profile) {
    out(`${p.phase}: ${ms(p.wallMs)} ms wall, ${ms(p.kernelMs)} ms in ${p.kernels} kernels (${pct(p.kernelMs, p.wallMs).trim()})`);
    out('  part             |  wall ms | kernel ms |  host ms | kernels | share');
    for (const x of p.parts) out(`  ${x.part.padEnd(16)} | ${ms(x.wallMs).padStart(8)} | ${ms(x.kernelMs).padStart(9)} | ${ms(x.hostMs).padStart(8)} | ${String(x.kernels).padStart(7)} | ${pct(x.wallMs, p.wallMs)}`);
    out(`  by kind of op: ${p.byKind.map((k) => `${k.kind} ${ms(k.ms)} ms (${pct(k.ms, p.kernelMs).trim()})`).join(', ')}`);
    out(`  costliest kernels: ${p.top.map((k) => `${k.name} ${ms(k.ms)} ms x${k.kernels}`).join(', ')}`);
  }
}

async function baselineRun(rev: string, backend: NodeBackend, rounds: number, overrides: string[], values: Record<string, unknown>, argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const file = String(values.out ?? join('runs', 'bench-throughput-baseline.json'));
  const command = `npm run bench -- throughput ${argv.join(' ')}`.trim();
  const write = (r: unknown) => writeAtomic(file, `${JSON.stringify({ ...(r as object), command, date: new Date().toISOString() }, null, 1)}\n`);
  const result: BaselineResult = await runBaseline(rev, { backend, rounds, overrides, err, onRound: (done) => write({ partial: true, rev, backend, overrides, rounds: done }) });
  await write(result);
  if (values.json) {
    out(JSON.stringify({ ...result, command }));
    return;
  }
  out(`bench throughput, node ${backend}: working tree (head) against ${rev} (${result.baseline.sha.slice(0, 10)}, base), ${rounds} rounds alternating${overrides.length ? `, settings ${overrides.join(' ')}` : ''}`);
  if (result.settingsDiffer) out(`warning: the two sides ran different settings (base ${JSON.stringify(result.baseline.settings)}; head ${JSON.stringify(result.head.settings)}): give them as key=value to compare the same work`);
  out('metric        |  base median |  head median | head / base (median of paired rounds) | per round');
  for (const x of result.summary) {
    out(`${x.metric.padEnd(13)} | ${ms(x.baseMedian, 2).padStart(12)} | ${ms(x.headMedian, 2).padStart(12)} | ${x.ratio.toFixed(3).padStart(37)} | ${x.ratios.map((q) => q.toFixed(3)).join(', ')}`);
  }
  out(`written: ${file}`);
}
