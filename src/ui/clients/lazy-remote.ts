import * as Comlink from 'comlink';

/**
 * A comlink proxy to a worker that is started on first use. `start` must contain the
 * `new Worker(new URL('...', import.meta.url), ...)` expression itself, so Vite bundles the worker.
 */
export function lazyRemote<T>(start: () => Worker): () => Comlink.Remote<T> {
  let remote: Comlink.Remote<T> | undefined;
  return () => (remote ??= Comlink.wrap<T>(start()));
}
