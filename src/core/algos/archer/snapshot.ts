/**
 * Everything an ArCHer run needs to continue exactly where it was, as plain data: actor, critic,
 * target critic, the three Adam states, replay buffer, RNG and counters. Storage-neutral: the
 * command line writes it to a folder (src/storage/run-files.ts), the browser keeps it in memory to
 * move a run between tfjs backends (and in IndexedDB for persistence).
 */
import * as tf from '@tensorflow/tfjs';
import type { Weights } from '../../models/transformer';
import type { RngState } from '../../util/rng';
import { ReplayBuffer, type ReplaySnapshot } from '../../replay/replay-buffer';
import type { TokenizerJSON } from '../../text/tokenizer';
import type { ArcherTrainer } from './trainer';

export interface TrainerCounters {
  iteration: number;
  trajectories: number;
  rng: RngState;
  evalRng?: RngState;
}

export interface RunCheckpoint {
  config: unknown;
  counters: TrainerCounters;
  tokenizer: TokenizerJSON;
  actor: { config: object; weights: Weights };
  critic: { config: object; weights: Weights };
  target: { weights: Weights };
  optimizers: Record<string, Weights>;
  replay: ReplaySnapshot;
}

/**
 * Adam keeps beta1^t and beta2^t as running products; tfjs's setWeights recomputes them as
 * pow(beta, t), which differs in the last float bit. Saving them keeps a resumed run bitwise equal.
 */
const ADAM_POWERS = ['accBeta1', 'accBeta2'] as const;

/**
 * An optimiser's state as ordered weights (key = zero-padded index + name, so sorting keeps
 * order), plus Adam's running beta powers under `~accBeta1` / `~accBeta2`.
 */
export async function optimizerWeights(opt: tf.Optimizer): Promise<Weights> {
  const named = await opt.getWeights();
  const out: Weights = {};
  for (const [i, { name, tensor }] of named.entries()) {
    out[`${String(i).padStart(5, '0')}:${name}`] = { shape: tensor.shape.slice(), data: Float32Array.from((await tensor.data()) as Float32Array) };
  }
  const internals = opt as unknown as Record<string, tf.Variable | undefined>;
  for (const p of ADAM_POWERS) {
    const v = internals[p];
    if (v instanceof tf.Variable) out[`~${p}`] = { shape: [], data: Float32Array.from((await v.data()) as Float32Array) };
  }
  return out;
}

export async function restoreOptimizer(opt: tf.Optimizer, weights: Weights): Promise<void> {
  const names = Object.keys(weights)
    .filter((k) => !k.startsWith('~'))
    .sort();
  await opt.setWeights(names.map((k) => ({ name: k.slice(6), tensor: tf.tensor(weights[k]!.data, weights[k]!.shape) })));
  const internals = opt as unknown as Record<string, tf.Variable | undefined>;
  for (const p of ADAM_POWERS) {
    const saved = weights[`~${p}`];
    const v = internals[p];
    if (saved && v instanceof tf.Variable) {
      const value = tf.scalar(saved.data[0]!);
      v.assign(value);
      value.dispose();
    }
  }
}

/** The trainer's whole state, read asynchronously (safe on GPU backends). */
export async function snapshotTrainer(trainer: ArcherTrainer): Promise<RunCheckpoint> {
  return {
    config: trainer.config,
    counters: trainer.counters(),
    tokenizer: trainer.actor.tokenizer.toJSON(),
    actor: { config: trainer.actor.config, weights: await trainer.actor.getWeightsAsync() },
    critic: { config: trainer.critic.config, weights: await trainer.critic.getWeightsAsync() },
    target: { weights: await trainer.target.getWeightsAsync() },
    optimizers: {
      actor: await optimizerWeights(trainer.optimizers.actor),
      critic: await optimizerWeights(trainer.optimizers.critic),
      baseline: await optimizerWeights(trainer.optimizers.baseline),
    },
    replay: trainer.replay.toJSON(),
  };
}

/**
 * Puts a snapshot back into a freshly built trainer of the same model sizes (weights are checked
 * by name and shape before anything is assigned).
 */
export async function restoreTrainer(trainer: ArcherTrainer, ck: RunCheckpoint): Promise<void> {
  trainer.actor.setWeights(ck.actor.weights);
  trainer.critic.setWeights(ck.critic.weights);
  trainer.target.setWeights(ck.target.weights);
  await trainer.restore({
    ...ck.counters,
    replay: ReplayBuffer.fromJSON(ck.replay),
    optimizers: Object.fromEntries(Object.entries(ck.optimizers).map(([k, w]) => [k, (opt: tf.Optimizer) => restoreOptimizer(opt, w)])),
  });
}
