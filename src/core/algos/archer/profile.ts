/**
 * Where an ArCHer iteration's time goes (`bench throughput --profile`): one rollout, one critic step
 * and one actor step run under tf.profile, with each kernel tfjs runs attributed to the part of the
 * step it ran in and to a kind of op. The parts are found by wrapping, for the profile only, the
 * calls that do the work:
 *   actor generation   actor.generate (the rollout's games and the a^pi samples of both steps)
 *   actor forward      actor.tokenLogProbs (and the reference's, for archer.kl_coeff)
 *   critic forward     values / stateValues / tokenBaselines of the critic and the target critic
 *   backward           optimizer.computeGradients, less the forward passes inside it
 *   Adam               optimizer.applyGradients
 *   other              everything else in the step (targets, Polyak averaging, gradient clipping,
 *                      replay sampling, tokenising and padding, the games' own code)
 * A part's time is its own wall time (time inside a nested part counts there); its kernel time is
 * what tfjs timed inside its kernels, and the difference (host) is JavaScript around them: building
 * batches, uploads and downloads, tfjs's bookkeeping. On wasm the kernels run synchronously, so
 * their times are real; on GPU backends they are the backend's timer queries.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArcherTrainer } from './trainer';

export const PARTS = ['actor generation', 'actor forward', 'critic forward', 'backward', 'Adam', 'other'] as const;
export type Part = (typeof PARTS)[number];

export const OP_KINDS = ['matmul', 'softmax', 'gather / embedding', 'elementwise', 'reduction', 'layout (reshape, transpose, concat, slice)', 'sampling', 'other'] as const;
export type OpKind = (typeof OP_KINDS)[number];

const KIND_OF: Record<string, OpKind> = {};
/** tfjs kernel names by kind (names as tfjs-core registers them: `Multiply`, not TensorFlow's `Mul`). */
export const KERNELS_BY_KIND: [OpKind, string[]][] = [
  ['matmul', ['BatchMatMul', '_FusedMatMul', 'Einsum', 'Conv2D']],
  ['softmax', ['Softmax', 'LogSoftmax']],
  ['gather / embedding', ['GatherV2', 'GatherNd', 'ScatterNd', 'OneHot', 'SparseToDense', 'UnsortedSegmentSum']],
  ['elementwise', ['Add', 'AddN', 'Sub', 'Multiply', 'RealDiv', 'FloorDiv', 'Maximum', 'Minimum', 'Exp', 'Log', 'Log1p', 'Sqrt', 'Rsqrt', 'Square',
    'SquaredDifference', 'Neg', 'Abs', 'Relu', 'Relu6', 'Elu', 'Tanh', 'Sigmoid', 'Pow', 'Cast', 'Select', 'Greater', 'GreaterEqual',
    'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr', 'LogicalNot', 'Sign', 'Step', 'Erf', 'ClipByValue', 'Reciprocal',
    'IsNan', 'IsInf', 'Floor', 'Ceil', 'Round', 'Softplus', 'Prelu', 'LeakyRelu', 'Atan2', 'Cos', 'Sin', 'Mod']],
  ['reduction', ['Sum', 'Max', 'Min', 'Mean', 'Prod', 'ArgMax', 'ArgMin', 'All', 'Any', 'Cumsum', 'Cumprod']],
  ['layout (reshape, transpose, concat, slice)', ['Reshape', 'Transpose', 'Concat', 'Slice', 'StridedSlice', 'Pack', 'Unpack', 'Tile', 'PadV2',
    'Identity', 'Fill', 'ZerosLike', 'OnesLike', 'SplitV', 'BroadcastTo', 'Reverse', 'ExpandDims', 'MirrorPad', 'Range']],
  ['sampling', ['Multinomial', 'TopK']],
];
for (const [kind, names] of KERNELS_BY_KIND) for (const n of names) KIND_OF[n] = kind;

/** The kind of op a tfjs kernel name is (unknown names are 'other'). */
export function opKind(kernel: string): OpKind {
  return KIND_OF[kernel] ?? 'other';
}

export interface KernelRecord {
  name: string;
  ms: number;
  part: Part;
}

export interface PartProfile {
  part: Part;
  wallMs: number;
  kernelMs: number;
  /** wallMs - kernelMs: JavaScript around the kernels. */
  hostMs: number;
  kernels: number;
}

export interface PhaseProfile {
  phase: 'rollout' | 'critic step' | 'actor step';
  wallMs: number;
  kernelMs: number;
  kernels: number;
  parts: PartProfile[];
  byKind: { kind: OpKind; ms: number; kernels: number }[];
  /** The kernels that took the most time, summed by name. */
  top: { name: string; kind: OpKind; ms: number; kernels: number }[];
}

/**
 * Sums a phase's kernels by part and by kind. `partWallMs` is each part's own wall time. Pure: the
 * profile's arithmetic, tested on its own.
 */
export function summarisePhase(phase: PhaseProfile['phase'], wallMs: number, kernels: readonly KernelRecord[], partWallMs: Partial<Record<Part, number>>, topN = 8): PhaseProfile {
  const parts: PartProfile[] = PARTS.map((part) => {
    const mine = kernels.filter((k) => k.part === part);
    const kernelMs = mine.reduce((a, k) => a + k.ms, 0);
    const wall = partWallMs[part] ?? 0;
    return { part, wallMs: wall, kernelMs, hostMs: wall - kernelMs, kernels: mine.length };
  }).filter((p) => p.wallMs > 0 || p.kernels > 0);
  const byKindMap = new Map<OpKind, { ms: number; kernels: number }>();
  const byName = new Map<string, { ms: number; kernels: number }>();
  for (const k of kernels) {
    const kind = opKind(k.name);
    const a = byKindMap.get(kind) ?? { ms: 0, kernels: 0 };
    a.ms += k.ms;
    a.kernels++;
    byKindMap.set(kind, a);
    const b = byName.get(k.name) ?? { ms: 0, kernels: 0 };
    b.ms += k.ms;
    b.kernels++;
    byName.set(k.name, b);
  }
  const byKind = OP_KINDS.filter((k) => byKindMap.has(k)).map((kind) => ({ kind, ...byKindMap.get(kind)! })).sort((a, b) => b.ms - a.ms);
  const top = [...byName].map(([name, v]) => ({ name, kind: opKind(name), ...v })).sort((a, b) => b.ms - a.ms).slice(0, topN);
  return { phase, wallMs, kernelMs: kernels.reduce((a, k) => a + k.ms, 0), kernels: kernels.length, parts, byKind, top };
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Attributes kernels and wall time to the innermost wrapped call running when they happen. Each
 * push/pop first hands what happened since the last one to the part on top of the stack.
 */
class PartTracker {
  private stack: Part[] = [];
  private lastKernel = 0;
  private lastT = performance.now();
  readonly wall: Partial<Record<Part, number>> = {};
  readonly parts: Part[] = [];

  constructor(private readonly kernels: () => number) {}

  /** Starts the clock (and the kernel count) at the phase's start; returns that instant. */
  start(): number {
    this.lastKernel = this.kernels();
    this.lastT = performance.now();
    return this.lastT;
  }

  flush(): void {
    const top = this.stack[this.stack.length - 1] ?? 'other';
    const n = this.kernels();
    for (let i = this.lastKernel; i < n; i++) this.parts[i] = top;
    this.lastKernel = n;
    const now = performance.now();
    this.wall[top] = (this.wall[top] ?? 0) + (now - this.lastT);
    this.lastT = now;
  }

  /** Replaces obj[method] by a wrapper that runs it as `part`; returns the undo. */
  wrap(obj: object, method: string, part: Part): () => void {
    const o = obj as Record<string, AnyFn>;
    const own = Object.prototype.hasOwnProperty.call(o, method);
    const orig = o[method];
    if (typeof orig !== 'function') throw new Error(`profile: ${method} is not a method`);
    const tracker = this;
    o[method] = function (this: unknown, ...args: unknown[]) {
      tracker.flush();
      tracker.stack.push(part);
      const done = () => {
        tracker.flush();
        tracker.stack.pop();
      };
      let r: unknown;
      try {
        r = orig.apply(this, args);
      } catch (e) {
        done();
        throw e;
      }
      if (r instanceof Promise) return r.finally(done);
      done();
      return r;
    };
    return () => {
      if (own) o[method] = orig;
      else delete o[method];
    };
  }
}

interface ActiveProfile {
  kernels: { name: string; kernelTimeMs: number | Promise<number> | { error: string } }[];
}

async function profilePhase(trainer: ArcherTrainer, phase: PhaseProfile['phase'], run: () => Promise<unknown>): Promise<PhaseProfile> {
  const engine = tf.engine() as unknown as { state: { activeProfile: ActiveProfile } };
  const tracker = new PartTracker(() => engine.state.activeProfile.kernels?.length ?? 0);
  const undo: (() => void)[] = [];
  const models = [trainer.critic, trainer.target];
  undo.push(tracker.wrap(trainer.actor, 'generate', 'actor generation'));
  undo.push(tracker.wrap(trainer.actor, 'tokenLogProbs', 'actor forward'));
  if (trainer.reference) undo.push(tracker.wrap(trainer.reference, 'tokenLogProbs', 'actor forward'));
  for (const m of models) for (const f of ['values', 'stateValues', 'tokenBaselines']) undo.push(tracker.wrap(m, f, 'critic forward'));
  for (const opt of Object.values(trainer.optimizers)) {
    undo.push(tracker.wrap(opt, 'computeGradients', 'backward'));
    undo.push(tracker.wrap(opt, 'applyGradients', 'Adam'));
  }
  let wallMs = 0;
  try {
    const info = await tf.profile(async () => {
      const t0 = tracker.start();
      await run();
      tracker.flush();
      wallMs = performance.now() - t0;
      return tf.scalar(0);
    });
    // tf.customGrad's forward runs as a scope ('unnamed scope', 'logSoftmax__op') that tf.profile lists
    // and times beside the kernels inside it; only registered kernels count, so nothing counts twice.
    const backend = tf.getBackend();
    const kernels: KernelRecord[] = info.kernels
      .map((k, i) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0, part: tracker.parts[i] ?? 'other' }))
      .filter((k) => tf.getKernel(k.name, backend) !== undefined);
    tf.dispose(info.result as tf.Tensor);
    return summarisePhase(phase, wallMs, kernels, tracker.wall);
  } finally {
    for (const u of undo.reverse()) u();
  }
}

/**
 * Profiles one rollout, one critic step and one actor step (after one untimed warm-up of each, so
 * kernels are compiled and the replay buffer is filled). Needs algorithm.warmup_iterations=0 like
 * the throughput bench; the steps change the trainer's weights as training would.
 */
export async function profileIteration(trainer: ArcherTrainer, opts: { onProgress?: (text: string) => void } = {}): Promise<PhaseProfile[]> {
  if (trainer.config.algorithm.warmup_iterations > 0) throw new Error('profile: set algorithm.warmup_iterations=0 so the profiled actor step is a real one');
  opts.onProgress?.('warm-up');
  await trainer.collect();
  await trainer.criticStep();
  await trainer.actorStep();
  opts.onProgress?.('profiling a rollout');
  const rollout = await profilePhase(trainer, 'rollout', () => trainer.collect());
  opts.onProgress?.('profiling a critic step');
  const critic = await profilePhase(trainer, 'critic step', () => trainer.criticStep());
  opts.onProgress?.('profiling an actor step');
  const actor = await profilePhase(trainer, 'actor step', () => trainer.actorStep());
  return [rollout, critic, actor];
}
