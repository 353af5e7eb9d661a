/**
 * Talking to the trainer worker: starting a run with a config and a backend, and wiring its
 * events into the run and replay stores. Components call these, never the worker directly.
 */
import * as Comlink from 'comlink';
import type { Config } from '../../core/config';
import type { BackendChoice } from '../../core/models/backend-choice';
import { trainerWorker, type RunStatus, type TrainerEvent } from '../clients/trainer-client';
import { useRunStore } from './run-store';
import { useReplayStore } from '../replay/replay-store';
import { useSettingsStore } from './settings-store';

export async function initRun(config: Config, backend: BackendChoice = useSettingsStore.getState().backend): Promise<RunStatus> {
  const { reset, setStatus, addRow } = useRunStore.getState();
  reset();
  useReplayStore.getState().reset();
  const listener = Comlink.proxy((e: TrainerEvent) => {
    if (e.kind === 'status') setStatus(e.status);
    else if (e.kind === 'metrics') addRow(e.row);
    else useReplayStore.getState().setEpisodes(e);
  });
  return trainerWorker().init(config, listener, { backend });
}

/** Restarts the run with the current settings and backend. */
export function resetRun(): Promise<RunStatus> {
  return initRun(useSettingsStore.getState().config);
}

export const startRun = (): Promise<void> => trainerWorker().start();
export const pauseRun = (): Promise<void> => trainerWorker().pause();
export const stepRun = (n = 1) => trainerWorker().step(n);
export const updateRunConfig = (config: Config) => trainerWorker().updateConfig(config);
export const switchBackend = (choice: BackendChoice) => trainerWorker().setBackend(choice);
export const benchmarkBackends = () => trainerWorker().benchmark();
