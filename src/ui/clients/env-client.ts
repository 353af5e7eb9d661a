/** The UI's thin client for workers/env.worker.ts. */
import type { EnvWorkerApi } from '../../../workers/env.worker';
import { lazyRemote } from './lazy-remote';

export type { GameState, Turn } from '../../../workers/env.worker';

export const envWorker = lazyRemote<EnvWorkerApi>(
  () => new Worker(new URL('../../../workers/env.worker.ts', import.meta.url), { type: 'module', name: 'env' }),
);
