/** The UI's thin client for workers/env.worker.ts. */
import * as Comlink from 'comlink';
import type { EnvWorkerApi } from '../../../workers/env.worker';

export type { GameState, Turn } from '../../../workers/env.worker';

let client: Comlink.Remote<EnvWorkerApi> | undefined;

export function envWorker(): Comlink.Remote<EnvWorkerApi> {
  if (!client) {
    const worker = new Worker(new URL('../../../workers/env.worker.ts', import.meta.url), { type: 'module', name: 'env' });
    client = Comlink.wrap<EnvWorkerApi>(worker);
  }
  return client;
}
