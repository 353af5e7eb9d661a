/**
 * Node-only helper (tests, benchmarks, CLI): selects a tfjs backend. 'wasm' needs the .wasm
 * binaries located by file path (there is no fetch of relative URLs in Node) and runs
 * single-threaded (no SharedArrayBuffer workers in Node). Browser code sets up wasm itself.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type NodeBackend = 'cpu' | 'wasm';

export async function useBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm' && !tf.findBackend('wasm')) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setWasmPaths(`${dist}${path.sep}`);
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`could not start the tfjs ${name} backend (got ${tf.getBackend()})`);
}
