import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { disposeTrainer, tinyConfig, tinyTrainer } from './test-support';
import { measureThroughput } from './throughput';

await tf.setBackend('cpu');

describe('measureThroughput', () => {
  it('times a rollout token, a critic step, an actor step and an iteration after a warm-up', async () => {
    const t = tinyTrainer(tinyConfig(['algorithm.warmup_iterations=0']));
    const progress: string[] = [];
    const r = await measureThroughput(t, 2, { onProgress: (m) => progress.push(m) });
    expect(progress).toEqual(['warm-up', 'steps, repeat 1 of 2', 'steps, repeat 2 of 2', 'iteration, repeat 1 of 2', 'iteration, repeat 2 of 2']);
    expect(r.iterationEstimated).toBe(false);
    expect(r.repeats).toBe(2);
    for (const k of ['tokenMs', 'rolloutMs', 'criticStepMs', 'actorStepMs', 'iterationMs', 'warmupMs'] as const) expect(r[k], k).toBeGreaterThan(0);
    expect(r.tokens).toBeGreaterThan(0);
    expect(r.tokenMs).toBeCloseTo(r.rolloutMs / r.tokens, 0);
    // warm-up + 2 collects + 2 iterations: 5 rollouts of rollout_size games
    expect(t.trajectories).toBe(5 * t.config.algorithm.rollout_size);
    disposeTrainer(t);
  });

  it('times a slow backend once, estimates an iteration too long to time, and refuses warm-up iterations', async () => {
    const t = tinyTrainer(tinyConfig(['algorithm.warmup_iterations=0', 'algorithm.critic_epochs=3', 'algorithm.actor_epochs=2']));
    expect((await measureThroughput(t, 3, { slowMs: 0 })).repeats).toBe(1);
    const e = await measureThroughput(t, 1, { maxIterationMs: 0 });
    expect(e.iterationEstimated).toBe(true);
    expect(e.iterationMs).toBeCloseTo(e.rolloutMs + 3 * e.criticStepMs + 2 * e.actorStepMs, 6);
    disposeTrainer(t);
    const w = tinyTrainer(tinyConfig(['algorithm.warmup_iterations=2']));
    await expect(measureThroughput(w, 1)).rejects.toThrow(/warmup_iterations=0/);
    disposeTrainer(w);
  });
});
