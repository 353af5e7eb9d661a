/**
 * Throughput of ArCHer's hot path on the current tfjs backend, the same measurement in Node (the
 * `bench throughput` command) and in the browser's trainer worker: after one warm-up iteration
 * (kernels compiled, replay filled), `repeats` times each of
 *   rollout       one collect() of rollout_size games: ms per generated token (<eou> included)
 *   critic step   one criticStep() on a batch_size batch from the replay buffer
 *   actor step    one actorStep() on a batch_size batch
 *   iteration     one full step(): rollout, critic_epochs critic steps, actor_epochs actor steps
 * Medians are reported. A backend whose warm-up iteration takes longer than `slowMs` is timed
 * once (software GPU adapters take minutes).
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
  warmupMs: number;
  repeats: number;
}

export async function measureThroughput(trainer: ArcherTrainer, repeats: number, opts: { slowMs?: number; onProgress?: (text: string) => void } = {}): Promise<ThroughputResult> {
  if (trainer.config.algorithm.warmup_iterations > 0) throw new Error('throughput: set algorithm.warmup_iterations=0 so a timed iteration includes its actor steps');
  const t0 = performance.now();
  opts.onProgress?.('warm-up iteration');
  await trainer.step();
  const warmupMs = performance.now() - t0;
  const n = warmupMs > (opts.slowMs ?? 60_000) ? 1 : repeats;
  const tokenMs: number[] = [];
  const tokens: number[] = [];
  const rolloutMs: number[] = [];
  const criticMs: number[] = [];
  const actorMs: number[] = [];
  const iterMs: number[] = [];
  for (let r = 0; r < n; r++) {
    opts.onProgress?.(`repeat ${r + 1} of ${n}`);
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
    t = performance.now();
    await trainer.step();
    iterMs.push(performance.now() - t);
  }
  return {
    tokenMs: median(tokenMs),
    tokens: median(tokens),
    rolloutMs: median(rolloutMs),
    criticStepMs: median(criticMs),
    actorStepMs: median(actorMs),
    iterationMs: median(iterMs),
    warmupMs,
    repeats: n,
  };
}
