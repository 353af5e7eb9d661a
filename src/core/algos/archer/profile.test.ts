import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { disposeTrainer, tinyConfig, tinyTrainer } from './test-support';
import { KERNELS_BY_KIND, opKind, profileIteration, summarisePhase } from './profile';

await tf.setBackend('cpu');

describe('opKind', () => {
  it('sorts tfjs kernel names into kinds of op', () => {
    expect(opKind('BatchMatMul')).toBe('matmul');
    expect(opKind('_FusedMatMul')).toBe('matmul');
    expect(opKind('Softmax')).toBe('softmax');
    expect(opKind('GatherV2')).toBe('gather / embedding');
    expect(opKind('SquaredDifference')).toBe('elementwise');
    expect(opKind('Multiply')).toBe('elementwise');
    expect(opKind('Sum')).toBe('reduction');
    expect(opKind('Transpose')).toBe('layout (reshape, transpose, concat, slice)');
    expect(opKind('Multinomial')).toBe('sampling');
    expect(opKind('SomethingNew')).toBe('other');
  });

  it('lists only names tfjs registers kernels under', () => {
    // tfjs exports each kernel name as a constant of the same name (tf.Multiply === 'Multiply').
    const exported = tf as unknown as Record<string, unknown>;
    const listed = KERNELS_BY_KIND.flatMap(([, names]) => names);
    expect(listed.filter((n) => exported[n] !== n)).toEqual([]);
  });
});

describe('summarisePhase', () => {
  it('sums kernel time by part and by kind, and host time as wall less kernels', () => {
    const p = summarisePhase('critic step', 100, [
      { name: 'BatchMatMul', ms: 10, part: 'critic forward' },
      { name: 'BatchMatMul', ms: 20, part: 'backward' },
      { name: 'Add', ms: 5, part: 'backward' },
      { name: 'Sqrt', ms: 3, part: 'Adam' },
    ], { 'critic forward': 30, backward: 40, Adam: 10, other: 20 }, 2);
    expect(p.kernelMs).toBe(38);
    expect(p.kernels).toBe(4);
    expect(p.parts).toEqual([
      { part: 'critic forward', wallMs: 30, kernelMs: 10, hostMs: 20, kernels: 1 },
      { part: 'backward', wallMs: 40, kernelMs: 25, hostMs: 15, kernels: 2 },
      { part: 'Adam', wallMs: 10, kernelMs: 3, hostMs: 7, kernels: 1 },
      { part: 'other', wallMs: 20, kernelMs: 0, hostMs: 20, kernels: 0 },
    ]);
    expect(p.byKind).toEqual([{ kind: 'matmul', ms: 30, kernels: 2 }, { kind: 'elementwise', ms: 8, kernels: 2 }]);
    expect(p.top).toEqual([{ name: 'BatchMatMul', kind: 'matmul', ms: 30, kernels: 2 }, { name: 'Add', kind: 'elementwise', ms: 5, kernels: 1 }]);
  });
});

describe('profileIteration', () => {
  it('profiles a rollout, a critic step and an actor step, each kernel in the part it ran in, and puts the models back', async () => {
    const t = tinyTrainer(tinyConfig());
    const generate = t.actor.generate;
    const values = t.critic.values;
    const progress: string[] = [];
    const [rollout, critic, actor] = await profileIteration(t, { onProgress: (m) => progress.push(m) });
    expect(progress).toEqual(['warm-up', 'profiling a rollout', 'profiling a critic step', 'profiling an actor step']);
    expect([rollout!.phase, critic!.phase, actor!.phase]).toEqual(['rollout', 'critic step', 'actor step']);
    const parts = (p: typeof rollout) => Object.fromEntries(p!.parts.map((x) => [x.part, x]));
    expect(parts(rollout)['actor generation']!.kernels).toBeGreaterThan(0);
    for (const part of ['actor generation', 'critic forward', 'backward', 'Adam'] as const) expect(parts(critic)[part]?.kernels, part).toBeGreaterThan(0);
    for (const part of ['actor generation', 'actor forward', 'critic forward', 'backward', 'Adam'] as const) expect(parts(actor)[part]?.kernels, part).toBeGreaterThan(0);
    // Adam on the critic: every critic variable gets its moment updates; the actor's Adam runs no matmul.
    expect(critic!.parts.find((x) => x.part === 'Adam')!.kernels).toBeGreaterThanOrEqual(t.critic.variables().length);
    for (const p of [rollout!, critic!, actor!]) {
      expect(p.parts.reduce((a, x) => a + x.kernels, 0)).toBe(p.kernels);
      expect(p.parts.reduce((a, x) => a + x.wallMs, 0)).toBeCloseTo(p.wallMs, 0);
      expect(p.kernelMs).toBeLessThanOrEqual(p.wallMs + 1e-6);
      expect(p.byKind.reduce((a, x) => a + x.kernels, 0)).toBe(p.kernels);
      expect(p.byKind.map((x) => x.kind)).toContain('matmul');
    }
    expect(t.actor.generate).toBe(generate);
    expect(t.critic.values).toBe(values);
    expect(Object.prototype.hasOwnProperty.call(t.actor, 'generate')).toBe(false);
    // A second profile leaves no tensor behind (the first one's steps created Adam's moments).
    const before = tf.memory().numTensors;
    await profileIteration(t);
    expect(tf.memory().numTensors).toBe(before);
    disposeTrainer(t);
  });

  it('refuses warm-up iterations', async () => {
    const t = tinyTrainer(tinyConfig(['algorithm.warmup_iterations=1']));
    await expect(profileIteration(t)).rejects.toThrow(/warmup_iterations=0/);
    disposeTrainer(t);
  });
});
