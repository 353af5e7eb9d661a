/** The UI's thin client for workers/trainer.worker.ts. */
import * as Comlink from 'comlink';
import type { TrainerWorkerApi } from '../../../workers/trainer.worker';

export type { RunStatus, TrainerEvent } from '../../../workers/trainer.worker';

let client: Comlink.Remote<TrainerWorkerApi> | undefined;

export function trainerWorker(): Comlink.Remote<TrainerWorkerApi> {
  if (!client) {
    const worker = new Worker(new URL('../../../workers/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    client = Comlink.wrap<TrainerWorkerApi>(worker);
  }
  return client;
}
