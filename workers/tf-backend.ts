/**
 * Choosing and starting a tfjs backend inside a worker.
 *
 * `auto` takes webgpu, then webgl, then wasm, then cpu, by what the browser offers: a GPU backend
 * counts as offered only when its adapter is real hardware. Software adapters (SwiftShader, what a
 * headless or GPU-less Chromium gets) are correct but measured slower than wasm here (DESIGN.md:
 * webgpu about 7,000 ms a step, webgl about 850, wasm about 800), so `auto` passes over them; the
 * user can still pick them by hand, or let the self-benchmark choose.
 *
 * wasm's .wasm files are imported as URLs so Vite ships them, and threads are off (threaded wasm
 * hangs in a minified build under cross-origin isolation; 2 cores gain nothing).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKENDS, fallbackOrder, type BackendChoice, type BackendName, type BackendProbe } from '../src/core/models/backend-choice';

export type { BackendChoice, BackendName, BackendProbe } from '../src/core/models/backend-choice';

let configured = false;
let queue: Promise<unknown> = Promise.resolve();

function configure(): void {
  if (configured) return;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
  configured = true;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What this browser offers, without starting anything in tfjs. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const out: BackendProbe[] = [];
  // WebGPU: an adapter must exist; SwiftShader / fallback adapters are software.
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) out.push({ name: 'webgpu', available: false, software: false, detail: 'this browser has no WebGPU (navigator.gpu is missing)' });
  else {
    try {
      const adapter = (await gpu.requestAdapter()) as { info?: Record<string, unknown>; isFallbackAdapter?: boolean } | null;
      if (!adapter) out.push({ name: 'webgpu', available: false, software: false, detail: 'no WebGPU adapter' });
      else {
        const info = adapter.info ?? {};
        const text = ['vendor', 'architecture', 'device', 'description'].map((k) => String(info[k] ?? '')).filter(Boolean).join(' ');
        const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || /swiftshader|llvmpipe|software/i.test(text);
        out.push({ name: 'webgpu', available: true, software, detail: text || 'adapter' });
      }
    } catch (e) {
      out.push({ name: 'webgpu', available: false, software: false, detail: `requestAdapter failed: ${message(e)}` });
    }
  }
  // WebGL2 in this worker (OffscreenCanvas); the unmasked renderer names SwiftShader when it is software.
  try {
    const gl = typeof OffscreenCanvas === 'undefined' ? null : (new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null);
    if (!gl) out.push({ name: 'webgl', available: false, software: false, detail: 'no WebGL2 context' });
    else {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      out.push({ name: 'webgl', available: true, software: /swiftshader|llvmpipe|software/i.test(renderer), detail: renderer });
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch (e) {
    out.push({ name: 'webgl', available: false, software: false, detail: `WebGL2 failed: ${message(e)}` });
  }
  out.push({ name: 'wasm', available: typeof WebAssembly === 'object', software: true, detail: 'WebAssembly with SIMD when supported' });
  out.push({ name: 'cpu', available: true, software: true, detail: 'plain JavaScript' });
  return out;
}

/**
 * Starts the backend `choice` asks for, falling back along webgpu, webgl, wasm, cpu; returns its
 * name and why each one before it failed. Calls run one at a time: tfjs quietly fails (setBackend
 * resolves false) an initialisation that a later setBackend overtook, so two overlapping calls
 * (React StrictMode runs the lab's mount effect twice under `vite dev`) would both end on cpu.
 */
export function startBackend(choice: BackendChoice, probes: BackendProbe[]): Promise<{ backend: BackendName; failures: string[] }> {
  const run = queue.then(() => tryBackends(fallbackOrder(choice, probes), probes));
  queue = run.catch(() => undefined);
  return run;
}

async function tryBackends(order: BackendName[], probes: BackendProbe[]): Promise<{ backend: BackendName; failures: string[] }> {
  configure();
  const failures: string[] = [];
  for (const name of order) {
    const probe = probes.find((p) => p.name === name);
    if (probe && !probe.available) {
      failures.push(`${name}: ${probe.detail}`);
      continue;
    }
    try {
      if ((await tf.setBackend(name)) && tf.getBackend() === name) {
        await tf.ready();
        if (name === 'webgpu') guardWebgpuReadSync();
        // A first real op: some drivers only fail here.
        tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1))).dispose();
        return { backend: name, failures };
      }
      failures.push(`${name}: could not start`);
    } catch (e) {
      failures.push(`${name}: ${message(e)}`);
    }
  }
  throw new Error(`no tfjs backend could start (${failures.join('; ')})`);
}

/**
 * tfjs-webgpu's readSync (dataSync, arraySync) goes through an OffscreenCanvas 'webgpu' context; where
 * the GPU process cannot make that canvas's shared image (headless / SwiftShader Chromium: "Could not
 * find SharedImageBackingFactory ... WebgpuSwapChainTexture") it returns zeros and destroys the device,
 * and the next mapAsync fails with "A valid external Instance reference no longer exists". The lab
 * reads GPU data only asynchronously; this turns a stray synchronous read into a plain error (values
 * still on the CPU, e.g. freshly initialised weights, read as before).
 */
function guardWebgpuReadSync(): void {
  const b = tf.backend() as unknown as { readSync(id: object): unknown; tensorMap: { get(id: object): { values?: unknown; dtype?: string } | undefined } };
  const readSync = b.readSync.bind(b);
  b.readSync = (dataId: object) => {
    const d = b.tensorMap.get(dataId);
    if (d?.values != null || d?.dtype === 'string') return readSync(dataId);
    throw new Error('a synchronous read (dataSync) of GPU data on webgpu: not supported here, use data()');
  };
}

/** Calls `onLost` if the running WebGPU device is lost (driver reset, GPU process crash). */
export function watchDeviceLoss(onLost: (reason: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string; reason?: string }> } }).device;
  void device?.lost?.then((info) => onLost(`the WebGPU device was lost (${info?.reason ?? 'unknown'}: ${info?.message ?? ''})`));
}

export { BACKENDS };
