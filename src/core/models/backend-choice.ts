/**
 * Which tfjs backend to try, in which order: pure logic, shared by the trainer worker and tests.
 * The lab prefers webgpu, then webgl, then wasm, then cpu, by what the browser offers; a GPU
 * backend on a software adapter (SwiftShader) is not "offered" to `auto`, since it is slower than
 * wasm (DESIGN.md's measurements), but the user may still choose it.
 */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;

export interface BackendProbe {
  name: BackendName;
  /** The browser can start it at all (an adapter / context exists). */
  available: boolean;
  /** Runs on the CPU (wasm, cpu) or on a software GPU adapter. */
  software: boolean;
  /** What was found: adapter or renderer name, or why it is missing. */
  detail: string;
}

export function isBackendChoice(x: unknown): x is BackendChoice {
  return x === 'auto' || (BACKENDS as readonly unknown[]).includes(x);
}

/** Why `x` is not a backend choice (undefined when it is one). */
export function backendChoiceProblem(x: unknown): string | undefined {
  return isBackendChoice(x) ? undefined : `unknown backend "${String(x)}": choose one of auto, ${BACKENDS.join(', ')}`;
}

/** `x` as a backend choice, or an error naming the choices. */
export function parseBackendChoice(x: unknown): BackendChoice {
  const problem = backendChoiceProblem(x);
  if (problem) throw new Error(problem);
  return x as BackendChoice;
}

/**
 * The order to try: for `auto`, hardware webgpu and webgl (in that order) and then wasm and cpu;
 * for a named backend, that one first and then the ones after it in BACKENDS order (so a failed
 * webgpu falls back to webgl, wasm, cpu), with cpu always last.
 */
export function fallbackOrder(choice: BackendChoice, probes: readonly BackendProbe[]): BackendName[] {
  parseBackendChoice(choice);
  if (choice === 'auto') {
    const hardware = (n: BackendName) => probes.some((p) => p.name === n && p.available && !p.software);
    return [...(['webgpu', 'webgl'] as const).filter(hardware), 'wasm', 'cpu'];
  }
  return BACKENDS.slice(BACKENDS.indexOf(choice));
}

/** The fastest backend of a benchmark (lowest median ms), ignoring failed ones. */
export function fastestBackend(results: readonly { name: BackendName; medianMs?: number; error?: string }[]): BackendName | undefined {
  let best: { name: BackendName; medianMs: number } | undefined;
  for (const r of results) {
    if (r.error !== undefined || r.medianMs === undefined || !Number.isFinite(r.medianMs)) continue;
    if (!best || r.medianMs < best.medianMs) best = { name: r.name, medianMs: r.medianMs };
  }
  return best?.name;
}
