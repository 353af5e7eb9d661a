/** The UI's thin client for workers/trainer.worker.ts. */
import type { TrainerWorkerApi } from '../../../workers/trainer.worker';
import { lazyRemote } from './lazy-remote';

export type { RunStatus, TrainerEvent } from '../../../workers/trainer.worker';

export const trainerWorker = lazyRemote<TrainerWorkerApi>(
  () => new Worker(new URL('../../../workers/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' }),
);
