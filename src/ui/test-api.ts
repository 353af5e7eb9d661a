/**
 * A typed test API on `window.archerLab`, for Playwright specs (and curious people in the console):
 * seed and configure a run, step it, and read its status, metrics and episodes without scraping
 * the page. It drives the same controller the buttons use.
 */
import { applyOverrides, type Config } from '../core/config';
import type { ReplayEpisode } from '../core/rollout/replay-episodes';
import { useRunStore, type MetricsRow } from './train/run-store';
import { useReplayStore } from './replay/replay-store';
import { useSettingsStore } from './train/settings-store';
import { evaluateRun, initRun, stepRun } from './train/run-controller';
import { trainerWorker } from './clients/trainer-client';
import { useWalkStore } from './learn/LiveWalkthrough';
import type { RunStatus } from './clients/trainer-client';

export interface ArcherLabTestApi {
  status(): RunStatus;
  metrics(): MetricsRow[];
  config(): Config;
  /** The episodes of the latest iteration, and the best and worst so far. */
  episodes(): { iteration: number; latest: ReplayEpisode[]; best?: ReplayEpisode; worst?: ReplayEpisode };
  /** Restarts the run with this seed (and dotted overrides, e.g. 'algorithm.rollout_size=2'), as Apply does. */
  seed(seed: number, overrides?: string[]): Promise<RunStatus>;
  /** Trains exactly n iterations (the run must be ready or paused); resolves with their metrics. */
  step(n: number): Promise<MetricsRow[]>;
  /** Evaluates the current actor on `episodes` games with fixed seeds from `seed`. */
  evaluate(episodes: number, seed: number): Promise<{ meanReturn: number; successRate: number; invalidRate: number; meanTurns: number; returns: number[] }>;
  /** The last walk-through update (Learn view), typed arrays as plain arrays. */
  walkthrough(): { critic?: unknown; actor?: unknown; iteration?: number };
  /** Times ArCHer's hot path on one backend (a fresh run only; see the worker's throughput). */
  throughput(backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu', repeats: number): Promise<Record<string, number | string | boolean>>;
  /** The runs saved in this browser, most recently used first. */
  runs(): Promise<{ id: string; name: string; iteration: number; checkpointIteration?: number }[]>;
}

declare global {
  interface Window {
    archerLab?: ArcherLabTestApi;
  }
}

export function installTestApi(): void {
  window.archerLab = {
    status: () => useRunStore.getState().status,
    metrics: () => useRunStore.getState().rows,
    config: () => useSettingsStore.getState().config,
    episodes: () => {
      const { iteration, latest, best, worst } = useReplayStore.getState();
      return { iteration, latest, best, worst };
    },
    seed: (seed, overrides = []) => {
      const config = applyOverrides(useSettingsStore.getState().config, [`seed=${seed}`, ...overrides]);
      useSettingsStore.getState().apply(config);
      return initRun(config);
    },
    step: (n) => stepRun(n),
    evaluate: (episodes, seed) => evaluateRun(episodes, seed),
    walkthrough: () => {
      const { critic, actor, iteration } = useWalkStore.getState();
      return JSON.parse(JSON.stringify({ critic, actor, iteration }, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)));
    },
    runs: async () => (await trainerWorker().listRuns()).runs,
    throughput: async (backend, repeats) => ({ ...(await trainerWorker().throughput(backend, repeats)) }),
  };
}
