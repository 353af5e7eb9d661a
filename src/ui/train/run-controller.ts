/** Starting a run in the trainer worker with a config, wiring its events into the run store. */
import * as Comlink from 'comlink';
import type { Config } from '../../core/config';
import { trainerWorker, type RunStatus, type TrainerEvent } from '../clients/trainer-client';
import { useRunStore } from './run-store';

export async function initRun(config: Config): Promise<RunStatus> {
  const { reset, setStatus, addRow } = useRunStore.getState();
  reset();
  const listener = Comlink.proxy((e: TrainerEvent) => {
    if (e.kind === 'status') setStatus(e.status);
    else addRow(e.row);
  });
  return trainerWorker().init(config, listener);
}
