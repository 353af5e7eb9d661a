/**
 * Throughput of ArCHer's hot path on the current tfjs backend, the same measurement in Node (the
 * `bench throughput` command) and in the browser's trainer worker. A warm-up (one rollout, one
 * critic step, one actor step: kernels compiled, replay filled), then `repeats` times each of
 *   rollout       one collect() of rollout_size games: ms per generated token (<eou> included)
 *   critic step   one criticStep() on a batch_size batch from the replay buffer
 *   actor step    one actorStep() on a batch_size batch
 * and then a full iteration (step(): rollout, critic_epochs critic and actor_epochs actor steps),
 * `repeats` times, unless the parts say it would take longer than `maxIterationMs`: then the
 * iteration is the sum of the measured parts and marked estimated (software GPU adapters take
 * many minutes an iteration). A backend whose warm-up takes over `slowMs` is timed once.
 * Medians are reported.
 */
import type { ArcherTrainer } from './trainer';
import { median } from '../../metrics/stats';

export interface ThroughputResult {
  /** Milliseconds per generated rollout token (median over repeats). */
  tokenMs: number;
  /** Tokens generated per rollout (median). */
  tokens: number;
  rolloutMs: number;
  criticStepMs: number;
  actorStepMs: number;
  iterationMs: number;
  /** True when iterationMs is rollout + critic_epochs x critic step + actor_epochs x actor step, not timed. */
  iterationEstimated: boolean;
  warmupMs: number;
  repeats: number;
}

export async function measureThroughput(
  trainer: ArcherTrainer,
  repeats: number,
  opts: { slowMs?: number; maxIterationMs?: number; onProgress?: (text: string) => void } = {},
): Promise<ThroughputResult> {
  const { algorithm } = trainer.config;
  if (algorithm.warmup_iterations > 0) throw new Error('throughput: set algorithm.warmup_iterations=0 so a timed iteration includes its actor steps');
  const t0 = performance.now();
  opts.onProgress?.('warm-up');
  await trainer.collect();
  await trainer.criticStep();
  await trainer.actorStep();
  const warmupMs = performance.now() - t0;
  const n = warmupMs > (opts.slowMs ?? 60_000) ? 1 : repeats;
  const tokenMs: number[] = [];
  const tokens: number[] = [];
  const rolloutMs: number[] = [];
  const criticMs: number[] = [];
  const actorMs: number[] = [];
  for (let r = 0; r < n; r++) {
    opts.onProgress?.(`steps, repeat ${r + 1} of ${n}`);
    const c = await trainer.collect();
    rolloutMs.push(c.ms);
    tokens.push(c.tokens);
    tokenMs.push(c.ms / Math.max(1, c.tokens));
    let t = performance.now();
    await trainer.criticStep();
    criticMs.push(performance.now() - t);
    t = performance.now();
    await trainer.actorStep();
    actorMs.push(performance.now() - t);
  }
  const parts = {
    tokenMs: median(tokenMs),
    tokens: median(tokens),
    rolloutMs: median(rolloutMs),
    criticStepMs: median(criticMs),
    actorStepMs: median(actorMs),
  };
  const estimate = parts.rolloutMs + algorithm.critic_epochs * parts.criticStepMs + algorithm.actor_epochs * parts.actorStepMs;
  if (estimate > (opts.maxIterationMs ?? 120_000)) return { ...parts, iterationMs: estimate, iterationEstimated: true, warmupMs, repeats: n };
  const iterMs: number[] = [];
  for (let r = 0; r < n; r++) {
    opts.onProgress?.(`iteration, repeat ${r + 1} of ${n}`);
    const t = performance.now();
    await trainer.step();
    iterMs.push(performance.now() - t);
  }
  return { ...parts, iterationMs: median(iterMs), iterationEstimated: false, warmupMs, repeats: n };
}
