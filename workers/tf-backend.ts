/**
 * Choosing and starting a tfjs backend inside a worker. wasm is the default (the fastest measured
 * here on CPU-only machines); its .wasm files are imported as URLs so Vite ships them, and threads
 * are off (threaded wasm hangs in a minified build under cross-origin isolation; 2 cores gain nothing).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type BackendName = 'wasm' | 'cpu' | 'webgl';

let configured = false;

/** Starts the first backend of `order` that works; returns its name and the failures before it. */
export async function startBackend(order: BackendName[] = ['wasm', 'cpu']): Promise<{ backend: string; failures: string[] }> {
  if (!configured) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
    configured = true;
  }
  const failures: string[] = [];
  for (const name of order) {
    try {
      if ((await tf.setBackend(name)) && tf.getBackend() === name) {
        await tf.ready();
        return { backend: name, failures };
      }
      failures.push(`${name}: not available`);
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no tfjs backend could start (${failures.join('; ')})`);
}
