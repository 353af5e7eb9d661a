/**
 * Talking to the trainer worker: starting or resuming a run and wiring its events into the run,
 * replay and settings stores. Components call these, never the worker directly.
 */
import * as Comlink from 'comlink';
import { validateConfig, type Config } from '../../core/config';
import type { BackendChoice } from '../../core/models/backend-choice';
import { trainerWorker, type RunStatus, type TrainerEvent } from '../clients/trainer-client';
import { useRunStore } from './run-store';
import { useReplayStore } from '../replay/replay-store';
import { useSettingsStore } from './settings-store';
import { labConfigToHash } from './lab-config';

function listener() {
  const { setStatus, addRow } = useRunStore.getState();
  return Comlink.proxy((e: TrainerEvent) => {
    if (e.kind === 'status') setStatus(e.status);
    else if (e.kind === 'metrics') addRow(e.row);
    else if (e.kind === 'episodes') useReplayStore.getState().setEpisodes(e);
    else if (e.kind === 'run') {
      // A resumed run brings its settings and its history.
      useSettingsStore.getState().apply(validateConfig(e.config));
      useRunStore.setState({ rows: e.history });
      if (e.episodes) useReplayStore.getState().setEpisodes(e.episodes);
    }
  });
}

/** Starts a new run (saved in this browser) with `config`, or resumes a saved one. */
export async function attachRun(what: { config?: Config; resume?: string }, backend: BackendChoice = useSettingsStore.getState().backend): Promise<RunStatus> {
  useRunStore.getState().reset();
  useReplayStore.getState().reset();
  return trainerWorker().init(what.config ?? useSettingsStore.getState().config, listener(), { backend, resume: what.resume });
}

export function initRun(config: Config, backend?: BackendChoice): Promise<RunStatus> {
  return attachRun({ config }, backend);
}

let started: Promise<RunStatus> | undefined;

/**
 * On page load: resume the most recently used run, unless the link carries other settings (then
 * those start a new run; the saved one stays in the run list). Once per page: React StrictMode
 * runs mount effects twice in development.
 */
export function startLab(): Promise<RunStatus> {
  return (started ??= startLabOnce());
}

async function startLabOnce(): Promise<RunStatus> {
  const config = useSettingsStore.getState().config;
  try {
    const { runs, activeId } = await trainerWorker().listRuns();
    const last = runs.find((r) => r.id === activeId) ?? runs[0];
    const linkHasSettings = window.location.hash.replace(/^#/, '') !== '';
    if (last) {
      const same = (() => {
        try {
          return labConfigToHash(validateConfig(last.config)) === labConfigToHash(config);
        } catch {
          return false;
        }
      })();
      if (!linkHasSettings || same) return await attachRun({ resume: last.id });
    }
  } catch {
    // No storage (private mode, a broken database): the worker reports it; train without saving.
  }
  return attachRun({ config });
}

/** Restarts the run with the current settings and backend (a new run; the old one stays saved). */
export function resetRun(): Promise<RunStatus> {
  return initRun(useSettingsStore.getState().config);
}

export const startRun = (): Promise<void> => trainerWorker().start();
export const pauseRun = (): Promise<void> => trainerWorker().pause();
export const stepRun = (n = 1) => trainerWorker().step(n);
export const updateRunConfig = (config: Config) => trainerWorker().updateConfig(config);
export const switchBackend = (choice: BackendChoice) => trainerWorker().setBackend(choice);
export const benchmarkBackends = () => trainerWorker().benchmark();
export const evaluateRun = (episodes: number, seed: number) => trainerWorker().evaluate(episodes, seed);
