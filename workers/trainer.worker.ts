/**
 * The trainer worker: ArCHer runs here, never on the UI thread. Exposed with comlink; the UI's
 * client is src/ui/clients/trainer-client.ts. Status, metrics and finished episodes (with the
 * critic's values per question) stream back through a proxied listener.
 *
 * Backends: `auto` or a named one (see tf-backend.ts). A backend that fails to start, or fails
 * while training (a lost WebGPU device, a driver error), falls back to the next one with a notice;
 * the run continues from its state before the failed iteration when that can still be read.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { diffConfig, validateConfig, type Config } from '../src/core/config';
import { TwentyQuestionsEnv, knowledgeBaseFor } from '../src/core/envs/twenty-questions/env';
import { FULL_KB } from '../src/core/envs/twenty-questions/kb';
import { treeBound } from '../src/core/envs/twenty-questions/bound';
import { modelTokenizerFor, twentyQuestionsTokenizer } from '../src/core/envs/twenty-questions/corpus';
import { ArcherTrainer, type ActorExplain, type CriticExplain, type Metrics } from '../src/core/algos/archer/trainer';
import { ApoTrainer } from '../src/core/algos/apo/trainer';
import { OnPolicyTrainer, isOnPolicyAlgorithm, onPolicyConfigError } from '../src/core/algos/baselines/trainer';
import { candidateScorer, envFactory } from '../src/core/envs/make-env';
import { shopEpisode } from '../src/core/envs/webshop/replay';
import { Tokenizer } from '../src/core/text/tokenizer';
import type { Episode } from '../src/core/rollout/episode';
import { plainReplayEpisode } from '../src/core/rollout/replay-episodes';
import { restoreTrainer, snapshotTrainer, type RunCheckpoint } from '../src/core/algos/archer/snapshot';
import { createActor, createCritic } from '../src/core/agents/models';
import type { Actor } from '../src/core/models/actor';
import { fetchModel } from '../src/core/models/load-browser';
import type { Weights } from '../src/core/models/transformer';
import { BACKENDS, fallbackOrder, fastestBackend, parseBackendChoice } from '../src/core/models/backend-choice';
import { updateExtremes, type Extremes, type ReplayEpisode } from '../src/core/rollout/replay-episodes';
import { probeBackends, startBackend, watchDeviceLoss, type BackendChoice, type BackendName, type BackendProbe } from './tf-backend';
import { evaluateActor } from '../src/core/agents/models';
import { median } from '../src/core/metrics/stats';
import { measureThroughput, type ThroughputResult } from '../src/core/algos/archer/throughput';
import * as store from './run-persistence';
import { WORKED_EXAMPLE_INPUT, computeWorkedExample, type WorkedExampleInput, type WorkedExampleResult } from '../src/core/algos/archer/worked-example';

export type RunState = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'error';

export interface BenchmarkResult {
  name: BackendName;
  /** Median wall time of one small training iteration. */
  medianMs?: number;
  runs?: number[];
  error?: string;
}

export interface RunStatus {
  state: RunState;
  backend?: BackendName;
  /** What the user asked for ('auto' or a backend). */
  backendChoice?: BackendChoice;
  /** What this browser offers, found when the worker started. */
  probes?: BackendProbe[];
  iteration: number;
  trajectories: number;
  /** The run's length (trainer.total_training_steps). */
  totalIterations?: number;
  /** Time spent training (paused time excluded), ms. */
  elapsedMs: number;
  message?: string;
  /** A fallback that happened (backend missing or failed): shown until the next run. */
  notice?: string;
  /** Mean return and success rate of the reference policy (from its model file's evaluation). */
  reference?: number;
  referenceSuccess?: number;
  optimalBound?: number;
  /** What optimalBound is: 'expert bound' (Twenty Questions' best tree) or 'best reward' (WebShop). */
  boundLabel?: string;
  benchmark?: BenchmarkResult[];
  /** The saved run this is (IndexedDB), its name, and the iteration of its last checkpoint. */
  runId?: string;
  runName?: string;
  savedIteration?: number;
  /** Why the last save failed (storage full, ...): the previous save is kept. */
  storageError?: string;
}

export type TrainerEvent =
  | { kind: 'status'; status: RunStatus }
  | { kind: 'metrics'; row: Metrics }
  | { kind: 'episodes'; iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode }
  /** A resumed run: its settings and its history up to the checkpoint it continues from. */
  | { kind: 'run'; runId: string; name: string; config: Config; history: Metrics[]; episodes?: { iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode } };

export interface InitOptions {
  backend?: BackendChoice;
  /** Resume this saved run instead of starting a new one (its settings replace `input`). */
  resume?: string;
}

/** ArCHer (critic, replay, checkpoints, walk-through) or A*PO (no critic; not checkpointed). */
type LabTrainer = ArcherTrainer | ApoTrainer | OnPolicyTrainer;

let trainer: LabTrainer | undefined;
let config: Config | undefined;
let referenceWeights: Weights | undefined;
/** The reference model's own tokenizer (WebShop's vocabulary comes with its model file). */
let referenceTokenizer: Tokenizer | undefined;
let status: RunStatus = { state: 'idle', iteration: 0, trajectories: 0, elapsedMs: 0 };
let listener: ((e: TrainerEvent) => void) | undefined;
let running = false;
let extremes: Extremes = {};
let probes: BackendProbe[] | undefined;
/** Bumped by every init: an init that a newer one overtook drops its result (StrictMode runs effects twice in dev). */
let generation = 0;
/** Set when the WebGPU device is lost; the training loop then moves the run to another backend. */
let deviceLost: string | undefined;
/** The last state known good, kept every few iterations, to continue after a backend failure. */
let lastGood: RunCheckpoint | undefined;
/** Live settings sent while an iteration ran: the trainer takes them before the next one. */
let pendingConfig: Config | undefined;
const KEEP_EVERY = 10;
/** The saved run being trained (undefined when browser storage is unavailable). */
let runId: string | undefined;

function emit(e: TrainerEvent): void {
  listener?.(e);
}

function setStatus(patch: Partial<RunStatus>): RunStatus {
  status = { ...status, ...patch, iteration: trainer?.iteration ?? 0, trajectories: trainer?.trajectories ?? 0, totalIterations: config?.trainer.total_training_steps };
  emit({ kind: 'status', status });
  return status;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function requireTrainer(): LabTrainer {
  if (!trainer) throw new Error('the trainer is not initialised: call init first');
  return trainer;
}

/** The ArCHer trainer; an A*PO run has no critic, replay buffer or checkpoint, so `what` is refused for it. */
function requireArcher(what: string): ArcherTrainer {
  const t = requireTrainer();
  if (!(t instanceof ArcherTrainer)) throw new Error(`${what} needs an ArCHer run (critic, replay buffer); this run trains ${algorithmLabel(t.config.algorithm.name)}`);
  return t;
}

/** How the lab names an algorithm in its messages. */
function algorithmLabel(name: string): string {
  return ({ archer: 'ArCHer', apo: 'A*PO', ppo: 'PPO', grpo: 'GRPO', filtered_bc: 'filtered BC' } as Record<string, string>)[name] ?? name;
}

function disposeLabTrainer(t: LabTrainer): void {
  t.dispose();
  t.actor.dispose();
  if (t instanceof ArcherTrainer) {
    t.critic.dispose();
    t.reference?.dispose();
  }
  else if (t instanceof ApoTrainer) t.reference.dispose();
  else t.valueNet?.dispose();
}

function disposeTrainer(): void {
  if (!trainer) return;
  disposeLabTrainer(trainer);
  trainer = undefined;
}

/** Builds a trainer for `cfg` on the current backend, its actor (and A*PO's and ArCHer's reference) from the reference policy. */
function buildTrainer(cfg: Config): LabTrainer {
  // A model plays with the vocabulary it was trained with: the reference policy's (WebShop needs it).
  const tokenizer = referenceTokenizer ?? (cfg.env.name === 'webshop' ? undefined : twentyQuestionsTokenizer(FULL_KB));
  if (!tokenizer) throw new Error('the WebShop reference policy is not loaded');
  /** A new actor holding the reference policy's weights (random ones when none is loaded). */
  const fromReference = (): Actor => {
    const a = createActor(cfg, tokenizer);
    if (referenceWeights) a.setWeights(referenceWeights);
    return a;
  };
  const actor = fromReference();
  if (cfg.algorithm.name === 'apo') return new ApoTrainer({ config: cfg, actor, reference: fromReference(), makeEnv: envFactory(cfg) });
  if (isOnPolicyAlgorithm(cfg.algorithm.name)) {
    const valueNet = cfg.algorithm.name === 'ppo' ? createCritic(cfg, tokenizer, cfg.seed, referenceWeights) : undefined;
    return new OnPolicyTrainer({ config: cfg, actor, valueNet, makeEnv: envFactory(cfg) });
  }
  // The reference for archer.kl_coeff (a live setting, so there is one whenever a reference policy is loaded).
  const reference = referenceWeights ? fromReference() : undefined;
  const critic = createCritic(cfg, tokenizer, cfg.seed, referenceWeights);
  try {
    return new ArcherTrainer({ config: cfg, actor, critic, reference, makeEnv: envFactory(cfg), candidates: candidateScorer(cfg) });
  } catch (e) {
    // A setting the trainer refuses (archer.turn_aware on Twenty Questions): free the models, show the error.
    actor.dispose();
    critic.dispose();
    reference?.dispose();
    throw e;
  }
}

/** Episodes for the replay views: the critic's values (ArCHer) or none (A*PO), and WebShop's pages. */
async function replayEpisodes(t: LabTrainer, episodes: Episode[]): Promise<ReplayEpisode[]> {
  const base = t instanceof ArcherTrainer ? await t.annotate(episodes) : episodes.map((e, i) => plainReplayEpisode(e, t.iteration, i));
  if (t.config.env.name !== 'webshop') return base;
  return base.map((r, i) => {
    const shop = shopEpisode(episodes[i]!);
    return { ...r, target: shop.instruction, shop };
  });
}

async function startOn(choice: BackendChoice): Promise<{ backend: BackendName; failures: string[] }> {
  probes ??= await probeBackends();
  const started = await startBackend(choice, probes);
  deviceLost = undefined;
  watchDeviceLoss((reason) => (deviceLost = reason));
  return started;
}

function fallbackNotice(choice: BackendChoice, backend: BackendName, failures: string[]): string | undefined {
  if (failures.length === 0) return undefined;
  return `${choice === 'auto' ? 'Running' : `${choice} is not available here; running`} on ${backend} instead (${failures.join('; ')}).`;
}

/** Moves the run onto another backend: snapshot (or the last good one), rebuild there, restore. */
async function moveRun(choice: BackendChoice, why?: string): Promise<void> {
  const cfg = config;
  if (!cfg) throw new Error('the trainer is not initialised: call init first');
  if (trainer instanceof ApoTrainer) throw new Error('an A*PO run cannot move to another backend yet: choose the backend, then Reset (stage 1 runs again)');
  if (trainer instanceof OnPolicyTrainer) throw new Error(`a ${algorithmLabel(trainer.algorithm)} run cannot move to another backend yet: choose the backend, then Reset`);
  let snap: RunCheckpoint | undefined;
  let lost = '';
  if (trainer instanceof ArcherTrainer) {
    try {
      snap = await snapshotTrainer(trainer);
    } catch (e) {
      snap = lastGood;
      lost = lastGood
        ? ` The failed backend could not be read (${errorText(e)}); continuing from iteration ${lastGood.counters.iteration}.`
        : ` The failed backend could not be read (${errorText(e)}); the run starts again from the reference policy.`;
    }
  }
  disposeTrainer();
  const { backend, failures } = await startOn(choice);
  const rebuilt = buildTrainer(cfg) as ArcherTrainer;
  trainer = rebuilt;
  if (snap) await restoreTrainer(rebuilt, snap);
  const notice = why ? `${why} Moved the run to ${backend}.${lost}` : fallbackNotice(choice, backend, failures);
  setStatus({ backend, backendChoice: choice, notice: notice ?? status.notice });
}

/** Saves the run's checkpoint and status; a failure (storage full ...) is shown, the previous save kept, training goes on. */
async function saveCheckpoint(state: RunState, snapshot?: RunCheckpoint): Promise<void> {
  const t = trainer;
  if (!runId || !t || status.savedIteration === t.iteration) return;
  if (!(t instanceof ArcherTrainer)) return; // A*PO and baseline runs log metrics and episodes, not checkpoints (yet)
  try {
    const saved = await store.saveRun(runId, t, { state, backend: status.backend, elapsedMs: status.elapsedMs }, snapshot);
    setStatus({ savedIteration: saved, storageError: undefined });
  } catch (e) {
    setStatus({ storageError: errorText(e) });
  }
}

async function logIteration(row: Metrics, episodes: { iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode }): Promise<void> {
  if (!runId) return;
  try {
    await store.logIteration(runId, row, episodes);
  } catch (e) {
    setStatus({ storageError: errorText(e) });
  }
}

async function oneIteration(): Promise<Metrics> {
  const t = requireTrainer();
  if (pendingConfig) {
    const changed = t.updateConfig(pendingConfig);
    pendingConfig = undefined;
    setStatus({ message: `applied live at iteration ${t.iteration + 1}: ${changed.join(', ')}` });
  }
  const t0 = performance.now();
  let r;
  try {
    if (deviceLost) throw new Error(deviceLost);
    r = t instanceof ApoTrainer
      ? await t.step((done, total) => setStatus({ message: `A*PO stage 1: ${done} of ${total} reference episodes (V* for ${t.prompts.length} starts)` }))
      : await t.step();
  } catch (e) {
    // A backend failure: carry on elsewhere (the next backend in line), from the state before this iteration.
    const failed = status.backend;
    if (!failed || failed === 'cpu' || !(t instanceof ArcherTrainer)) throw e;
    const next = BACKENDS[BACKENDS.indexOf(failed) + 1] as BackendName;
    await moveRun(next, `The ${failed} backend failed while training (${errorText(e)}).`);
    return oneIteration();
  }
  const latest = await replayEpisodes(t, r.episodes);
  extremes = updateExtremes(extremes, latest);
  const row = { ...r.metrics, optimalBound: status.optimalBound ?? Number.NaN };
  const episodes = { iteration: t.iteration, latest, best: extremes.best, worst: extremes.worst };
  emit({ kind: 'metrics', row });
  emit({ kind: 'episodes', ...episodes });
  status.elapsedMs += performance.now() - t0;
  // GPU backends can fail mid-run (a lost device): keep every iteration there, every KEEP_EVERY on the CPU ones.
  const kept = t instanceof ArcherTrainer && (status.backend === 'webgpu' || status.backend === 'webgl' || t.iteration % KEEP_EVERY === 0);
  if (kept) lastGood = await snapshotTrainer(t);
  await logIteration(row, episodes);
  // A save in the same iteration reuses that snapshot instead of reading every weight again.
  if (config && t.iteration % config.trainer.save_freq === 0) await saveCheckpoint('running', kept ? lastGood : undefined);
  setStatus({});
  return row;
}

function atEnd(): boolean {
  return !!trainer && !!config && trainer.iteration >= config.trainer.total_training_steps;
}

const api = {
  /** Builds a fresh run for `input` (validated) on the chosen backend; any previous run is dropped. */
  async init(input: unknown, onEvent: (e: TrainerEvent) => void, options: InitOptions = {}): Promise<RunStatus> {
    const mine = ++generation;
    running = false;
    listener = onEvent;
    disposeTrainer();
    extremes = {};
    lastGood = undefined;
    pendingConfig = undefined;
    runId = undefined;
    status = { state: 'idle', iteration: 0, trajectories: 0, elapsedMs: 0 };
    setStatus({ state: 'loading', message: options.resume ? 'loading the saved run' : 'starting the tfjs backend' });
    try {
      const choice = parseBackendChoice(options.backend ?? 'auto');
      let resumed: store.ResumedRun | undefined;
      if (options.resume) {
        try {
          resumed = await store.loadRun(options.resume);
        } catch (e) {
          throw new Error(`the saved run could not be resumed: ${errorText(e)} (its records are kept; Reset starts a new run)`);
        }
      }
      const cfg: Config = resumed ? resumed.config : validateConfig(input);
      if (isOnPolicyAlgorithm(cfg.algorithm.name)) {
        const why = onPolicyConfigError(cfg);
        if (why) throw new Error(why);
      }
      const { backend, failures } = await startOn(choice);
      if (mine !== generation) return status;
      setStatus({ backend, backendChoice: choice, probes, notice: fallbackNotice(choice, backend, failures), message: 'loading the reference policy' });
      const subset = cfg.env.subset;
      const webshop = cfg.env.name === 'webshop';
      const ref = await fetchModel(`${import.meta.env.BASE_URL}models/${webshop ? 'webshop' : `twenty-questions-${subset}`}/model.json`, 'actor');
      if (mine !== generation) return status;
      referenceWeights = ref.weights;
      referenceTokenizer = webshop ? Tokenizer.fromJSON(ref.json.tokenizer) : modelTokenizerFor(ref.json.tokenizer, knowledgeBaseFor(subset), `the ${subset} reference policy`);
      config = cfg;
      trainer = buildTrainer(cfg);
      let storageError: string | undefined;
      let savedIteration: number | undefined;
      let runName: string | undefined = resumed?.run.name;
      if (resumed) {
        if (resumed.checkpoint && trainer instanceof ArcherTrainer) await restoreTrainer(trainer, resumed.checkpoint);
        runId = resumed.run.id;
        savedIteration = trainer.iteration;
        status.elapsedMs = resumed.run.status.elapsedMs ?? 0;
        extremes = { best: resumed.episodes?.best, worst: resumed.episodes?.worst };
        emit({ kind: 'run', runId, name: resumed.run.name, config: cfg, history: resumed.history, episodes: resumed.episodes });
      } else {
        try {
          const run = await store.createRun(cfg);
          if (mine !== generation) {
            await store.deleteRun(run.id);
            return status;
          }
          runId = run.id;
          runName = run.name;
        } catch (e) {
          storageError = `this run is not saved: ${errorText(e)}`;
        }
      }
      if (mine !== generation) return status;
      const evaluation = ref.json.meta.evaluation as { meanReturn?: number; successRate?: number } | undefined;
      return setStatus({
        state: trainer.iteration > 0 ? 'paused' : 'ready',
        message: resumed
          ? `resumed "${resumed.run.name}" at iteration ${trainer.iteration} on ${tf.getBackend()}`
          : `ready: ${tf.getBackend()} backend, ${trainer.actor.numParams.toLocaleString()} actor parameters`,
        reference: evaluation?.meanReturn,
        referenceSuccess: evaluation?.successRate,
        // WebShop: the best reward a purchase can get (1: everything asked for, within the price).
        boundLabel: webshop ? 'best reward' : 'expert bound',
        optimalBound: webshop ? 1 : treeBound(new TwentyQuestionsEnv({ subset, maxTurns: cfg.agent_proxy.max_turn }).kb, cfg.agent_proxy.max_turn).optimalBound,
        runId,
        runName,
        savedIteration,
        storageError,
        ...(cfg.algorithm.name !== 'archer'
          ? { notice: [status.notice, `${algorithmLabel(cfg.algorithm.name)} runs save their metrics and episodes but no checkpoint yet: a reload shows the history and trains again from the reference policy.`].filter(Boolean).join(' ') }
          : {}),
      });
    } catch (e) {
      if (mine !== generation) return status;
      return setStatus({ state: 'error', message: errorText(e) });
    }
  },

  /** Trains until paused or until trainer.total_training_steps (each iteration's metrics and episodes are streamed). */
  async start(): Promise<void> {
    requireTrainer();
    if (running) return;
    if (atEnd()) {
      setStatus({ state: 'paused', message: `the run has reached trainer.total_training_steps = ${config?.trainer.total_training_steps}: raise it to train on` });
      return;
    }
    running = true;
    const mine = generation;
    setStatus({ state: 'running', message: 'training' });
    try {
      while (running && mine === generation && !atEnd()) {
        await oneIteration();
        // Let queued messages (pause, status) in: wasm reads resolve as microtasks and never yield.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      if (mine !== generation) return;
      const finished = atEnd();
      running = false;
      await saveCheckpoint('paused');
      setStatus({ state: 'paused', message: finished ? `finished: ${trainer?.iteration} iterations (trainer.total_training_steps)` : 'paused' });
    } catch (e) {
      running = false;
      if (mine === generation) setStatus({ state: 'error', message: errorText(e) });
    }
  },

  /** Stops after the iteration in progress. */
  pause(): void {
    running = false;
  },

  /** Exactly `n` iterations (when not running); returns their metrics. */
  async step(n = 1): Promise<Metrics[]> {
    if (running) throw new Error('pause the run before stepping');
    if (!Number.isInteger(n) || n < 1) throw new Error(`step: n must be a positive integer, got ${n}`);
    requireTrainer();
    running = true;
    const rows: Metrics[] = [];
    try {
      setStatus({ state: 'running', message: n === 1 ? 'one iteration' : `${n} iterations` });
      for (let i = 0; i < n; i++) rows.push(await oneIteration());
      await saveCheckpoint('paused');
      setStatus({ state: 'paused', message: `stepped to iteration ${trainer?.iteration}` });
    } catch (e) {
      setStatus({ state: 'error', message: errorText(e) });
      throw e;
    } finally {
      running = false;
    }
    return rows;
  },

  /**
   * New settings for the running trainer, taken at its next iteration. Only live-safe keys may
   * differ (the schema's `live` flag); otherwise this throws naming the keys and nothing changes.
   */
  updateConfig(input: unknown): { changed: string[]; pending: boolean } {
    const t = requireTrainer();
    const next = validateConfig(input);
    const { live, restart } = diffConfig(t.config, next);
    if (restart.length > 0) throw new Error(`${restart.join(', ')} cannot change while a run trains: apply and restart the run`);
    config = next;
    if (running) {
      // Mid-iteration the trainer reads its settings step by step: hand them over between iterations.
      pendingConfig = next;
      setStatus({ message: `applies from the next iteration: ${live.join(', ')}` });
      return { changed: live, pending: true };
    }
    t.updateConfig(next);
    setStatus({ message: live.length > 0 ? `applied live: ${live.join(', ')}` : 'no change' });
    return { changed: live, pending: false };
  },

  /** Moves the run (weights, optimisers, replay, RNG) to another backend; pauses first. */
  async setBackend(requested: BackendChoice): Promise<RunStatus> {
    const choice = parseBackendChoice(requested);
    if (running) throw new Error('pause the run before switching backends');
    requireArcher('switching backends');
    setStatus({ state: 'loading', message: `moving the run to ${choice}` });
    try {
      await moveRun(choice);
      return setStatus({ state: trainer!.iteration > 0 ? 'paused' : 'ready', message: `running on ${tf.getBackend()}` });
    } catch (e) {
      return setStatus({ state: 'error', message: errorText(e) });
    }
  },

  /**
   * Times one small training iteration (4 games of at most 6 turns, 1 critic and 1 actor step on
   * batches of at most 16, the run's model sizes) on every backend this browser offers: one
   * warm-up, then `repeats` timed (1 when the warm-up took over 10 s); then moves the run to the
   * fastest. The run itself is not trained by this.
   */
  /**
   * `npm run bench -- throughput` in the browser: times ArCHer's hot path (rollout tokens, a critic
   * step, an actor step, a full iteration at the run's settings, warm-up iterations off) on one
   * backend. Only for a fresh run (iteration 0), which is rebuilt on its own backend afterwards.
   */
  async throughput(name: BackendName, repeats = 3): Promise<ThroughputResult & { backend: string }> {
    if (running) throw new Error('pause the run before measuring throughput');
    const cfg = config;
    const t = requireArcher('the throughput measurement');
    if (!cfg) throw new Error('the trainer is not initialised: call init first');
    if (t.iteration > 0) throw new Error('the throughput measurement needs a fresh run (iteration 0): Reset first, so no training is lost');
    const original = status.backendChoice ?? 'auto';
    disposeTrainer();
    probes ??= await probeBackends();
    let bench: ArcherTrainer | undefined;
    try {
      await startBackend(name, probes.map((p) => (p.name === name ? p : { ...p, available: false })));
      bench = buildTrainer(validateConfig({ ...cfg, algorithm: { ...cfg.algorithm, warmup_iterations: 0 } })) as ArcherTrainer;
      const result = await measureThroughput(bench, repeats, { onProgress: (m) => setStatus({ state: 'loading', message: `throughput on ${name}: ${m}` }) });
      return { backend: tf.getBackend(), ...result };
    } finally {
      if (bench) disposeLabTrainer(bench);
      const { backend, failures } = await startOn(original);
      trainer = buildTrainer(cfg);
      setStatus({ state: 'ready', backend, backendChoice: original, notice: fallbackNotice(original, backend, failures), message: `ready: ${backend} backend (after the throughput measurement)` });
    }
  },

  async benchmark(repeats = 3): Promise<BenchmarkResult[]> {
    if (running) throw new Error('pause the run before benchmarking');
    const cfg = config;
    const t = requireArcher('the backend benchmark');
    if (!cfg) throw new Error('the trainer is not initialised: call init first');
    const snap = await snapshotTrainer(t);
    disposeTrainer();
    probes ??= await probeBackends();
    const candidates = BACKENDS.filter((b) => probes!.find((p) => p.name === b)?.available);
    const small = validateConfig({
      ...cfg,
      agent_proxy: { ...cfg.agent_proxy, max_turn: Math.min(cfg.agent_proxy.max_turn, 6) },
      algorithm: { ...cfg.algorithm, rollout_size: 4, batch_size: Math.min(cfg.algorithm.batch_size, 16), critic_epochs: 1, actor_epochs: 1, warmup_iterations: 0 },
    });
    const results: BenchmarkResult[] = [];
    for (const [i, name] of candidates.entries()) {
      setStatus({ state: 'loading', message: `benchmark ${i + 1}/${candidates.length}: ${name} (a first step compiles shaders on GPU backends)`, benchmark: results.slice() });
      let bench: LabTrainer | undefined;
      try {
        await startBackend(name, (probes ?? []).map((p) => (p.name === name ? p : { ...p, available: false })));
        bench = buildTrainer(small);
        const w0 = performance.now();
        await bench.step();
        // A backend that needs over 10 s for the warm-up (software GPU adapters) is timed once more only.
        const times = performance.now() - w0 > 10_000 ? 1 : repeats;
        const runs: number[] = [];
        for (let r = 0; r < times; r++) {
          const t0 = performance.now();
          await bench.step();
          runs.push(performance.now() - t0);
        }
        results.push({ name, medianMs: median(runs), runs });
      } catch (e) {
        results.push({ name, error: errorText(e) });
      } finally {
        if (bench) disposeLabTrainer(bench);
      }
    }
    const best = fastestBackend(results) ?? 'cpu';
    const { backend, failures } = await startOn(best);
    const restored = buildTrainer(cfg) as ArcherTrainer;
    trainer = restored;
    await restoreTrainer(restored, snap);
    setStatus({
      state: restored.iteration > 0 ? 'paused' : 'ready',
      backend,
      backendChoice: best,
      benchmark: results,
      notice: fallbackNotice(best, backend, failures),
      message: `benchmark: ${results.map((r) => `${r.name} ${r.medianMs !== undefined ? `${r.medianMs.toFixed(0)} ms` : 'failed'}`).join(', ')}; running on ${backend}`,
    });
    return results;
  },

  status(): RunStatus {
    return status;
  },

  /**
   * One real ArCHer update of the live run, explained: a batch from its replay buffer, then a
   * critic step, an actor step, or both on that batch, each returning every per-sample
   * intermediate of the very step (the Learn view's walk-through). The run's weights change.
   */
  async explain(what: 'critic' | 'actor' | 'both'): Promise<{ critic?: CriticExplain; actor?: ActorExplain; iteration: number }> {
    if (running) throw new Error('pause the run before stepping it by hand');
    const t = requireArcher('the walk-through');
    if (t.replay.size === 0) throw new Error('the replay buffer is empty: train one iteration first (Lab, Step one iteration)');
    if (!['critic', 'actor', 'both'].includes(what)) throw new Error(`explain: "${String(what)}" is not critic, actor or both`);
    const batch = t.replay.sample(t.config.algorithm.batch_size, t.rng);
    const critic = what === 'actor' ? undefined : (await t.criticStep({ batch, explain: true })).explain;
    const actor = what === 'critic' ? undefined : (await t.actorStep({ batch, explain: true })).explain;
    // The weights moved without an iteration: the next pause saves them.
    setStatus({ savedIteration: undefined, message: `stepped the ${what === 'both' ? 'critic and the actor' : what} by hand (walk-through)` });
    return { critic, actor, iteration: t.iteration };
  },

  /**
   * DESIGN.md's worked example through the engine's own loss functions (on the running backend;
   * starts one if no run has yet), for the teaching view.
   */
  async workedExample(): Promise<{ input: WorkedExampleInput; result: WorkedExampleResult }> {
    if (!status.backend) await startOn('auto');
    return { input: { ...WORKED_EXAMPLE_INPUT }, result: await computeWorkedExample() };
  },

  /** Mean return etc. of `episodes` games on fixed seeds (from `seed`), the actor sampled at the rollout temperature. */
  async evaluate(episodes: number, seed: number): Promise<{ meanReturn: number; successRate: number; invalidRate: number; meanTurns: number; returns: number[] }> {
    if (running) throw new Error('pause the run before evaluating');
    if (!Number.isInteger(episodes) || episodes < 1) throw new Error(`evaluate: episodes must be a positive integer, got ${episodes}`);
    const t = requireTrainer();
    const { summary, episodes: played } = await evaluateActor(t.actor, envFactory(t.config, 'test'), episodes, seed, t.config.actor_rollout_ref.rollout.temperature);
    return { meanReturn: summary.meanReturn, successRate: summary.successRate, invalidRate: summary.invalidRate, meanTurns: summary.meanTurns, returns: played.map((e) => e.return) };
  },

  /** The saved runs, most recently used first; the active one is the run being trained. */
  async listRuns(): Promise<{ runs: store.RunSummary[]; activeId?: string; problems: string[]; usage?: { usage?: number; quota?: number } }> {
    const { runs, problems, usage } = await store.listRuns();
    return { runs, activeId: runId ?? runs[0]?.id, problems, usage };
  },

  async renameRun(id: string, name: string): Promise<void> {
    await store.renameRun(id, name);
    if (id === runId) setStatus({ runName: name.trim() });
  },

  async deleteRun(id: string): Promise<void> {
    if (id === runId) throw new Error('this run is being trained: start or resume another run before deleting it');
    await store.deleteRun(id);
  },

  /** A copy of a saved run (checkpoint, metrics, episodes) that will continue with `config`; returns its id. */
  async duplicateRun(id: string, config: unknown): Promise<string> {
    if (running) throw new Error('pause the run before duplicating');
    if (id === runId) await saveCheckpoint(status.state);
    return store.duplicateRun(id, config);
  },

  runMetrics(id: string): Promise<Metrics[]> {
    return store.runMetrics(id);
  },

  /** The run as one .tar file (the active run is saved first, so the file holds its current state). */
  async exportRun(id: string): Promise<{ name: string; bytes: Uint8Array }> {
    if (running) throw new Error('pause the run before exporting');
    if (id === runId) await saveCheckpoint(status.state);
    const out = await store.exportRun(id);
    return Comlink.transfer(out, [out.bytes.buffer]);
  },

  /** Checks a run file completely, then stores it as a new run; returns its id (resume it with init). */
  async importRun(buffer: ArrayBuffer, fileName: string): Promise<string> {
    if (running) throw new Error('pause the run before importing');
    return store.importRun(new Uint8Array(buffer), fileName);
  },

  /** The order `auto` would try here (for the backend menu's explanation). */
  async autoOrder(): Promise<BackendName[]> {
    probes ??= await probeBackends();
    return fallbackOrder('auto', probes);
  },
};

export type TrainerWorkerApi = typeof api;
Comlink.expose(api);
