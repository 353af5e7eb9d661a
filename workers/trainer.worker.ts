/**
 * The trainer worker: ArCHer runs here, never on the UI thread. Exposed with comlink; the UI's
 * client is src/ui/clients/trainer-client.ts. Metrics stream back through a proxied listener.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type Config } from '../src/core/config';
import { TwentyQuestionsEnv } from '../src/core/envs/twenty-questions/env';
import { FULL_KB } from '../src/core/envs/twenty-questions/kb';
import { treeBound } from '../src/core/envs/twenty-questions/bound';
import { twentyQuestionsTokenizer } from '../src/core/envs/twenty-questions/corpus';
import { ArcherTrainer, type Metrics } from '../src/core/algos/archer/trainer';
import { createActor, createCritic } from '../src/core/agents/models';
import { fetchModel } from '../src/core/models/load-browser';
import { startBackend } from './tf-backend';

export type RunState = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'error';

export interface RunStatus {
  state: RunState;
  backend?: string;
  iteration: number;
  trajectories: number;
  message?: string;
  /** Mean return of the reference policy (from its model file's evaluation). */
  reference?: number;
  optimalBound?: number;
}

export type TrainerEvent = { kind: 'status'; status: RunStatus } | { kind: 'metrics'; row: Metrics };

let trainer: ArcherTrainer | undefined;
let status: RunStatus = { state: 'idle', iteration: 0, trajectories: 0 };
let listener: ((e: TrainerEvent) => void) | undefined;
let running = false;

function setStatus(patch: Partial<RunStatus>): RunStatus {
  status = { ...status, ...patch, iteration: trainer?.iteration ?? 0, trajectories: trainer?.trajectories ?? 0 };
  listener?.({ kind: 'status', status });
  return status;
}

async function oneIteration(): Promise<Metrics> {
  if (!trainer) throw new Error('the trainer is not initialised: call init first');
  const r = await trainer.step();
  const row = { ...r.metrics, optimalBound: status.optimalBound ?? Number.NaN };
  listener?.({ kind: 'metrics', row });
  setStatus({});
  return row;
}

const api = {
  async init(input: unknown, onEvent: (e: TrainerEvent) => void): Promise<RunStatus> {
    running = false;
    listener = onEvent;
    trainer?.dispose();
    trainer = undefined;
    setStatus({ state: 'loading', message: 'starting the tfjs backend' });
    try {
      const config: Config = validateConfig(input);
      if (config.env.name !== 'twenty-questions') throw new Error(`env.name=${config.env.name} is not available in the lab yet`);
      const { backend, failures } = await startBackend();
      const subset = config.env.subset;
      setStatus({ backend, message: failures.length > 0 ? `fell back to ${backend} (${failures.join('; ')})` : `loading the reference policy` });
      const tokenizer = twentyQuestionsTokenizer(FULL_KB);
      const actor = createActor(config, tokenizer);
      const ref = await fetchModel(`${import.meta.env.BASE_URL}models/twenty-questions-${subset}/model.json`, 'actor');
      actor.setWeights(ref.weights);
      const critic = createCritic(config, tokenizer);
      const maxTurns = config.agent_proxy.max_turn;
      trainer = new ArcherTrainer({ config, actor, critic, makeEnv: () => new TwentyQuestionsEnv({ subset, maxTurns }) });
      const evaluation = ref.json.meta.evaluation as { meanReturn?: number } | undefined;
      return setStatus({
        state: 'ready',
        message: `ready: ${tf.getBackend()} backend, ${actor.numParams.toLocaleString()} actor parameters${failures.length > 0 ? ` (fell back: ${failures.join('; ')})` : ''}`,
        reference: evaluation?.meanReturn,
        optimalBound: treeBound(new TwentyQuestionsEnv({ subset, maxTurns }).kb, maxTurns).optimalBound,
      });
    } catch (e) {
      return setStatus({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  },

  /** Trains until paused (each iteration's metrics are streamed). */
  async start(): Promise<void> {
    if (!trainer) throw new Error('the trainer is not initialised: call init first');
    if (running) return;
    running = true;
    setStatus({ state: 'running', message: 'training' });
    try {
      while (running) {
        await oneIteration();
        // Let queued messages (pause, status) in: wasm reads resolve as microtasks and never yield.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      setStatus({ state: 'paused', message: 'paused' });
    } catch (e) {
      running = false;
      setStatus({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  },

  /** Stops after the iteration in progress. */
  pause(): void {
    running = false;
  },

  /** Exactly one iteration (when not running). */
  async stepOnce(): Promise<Metrics> {
    if (running) throw new Error('pause the run before stepping');
    const row = await oneIteration();
    setStatus({ state: 'paused', message: `stepped to iteration ${trainer?.iteration}` });
    return row;
  },

  status(): RunStatus {
    return status;
  },
};

export type TrainerWorkerApi = typeof api;
Comlink.expose(api);
