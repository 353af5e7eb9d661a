/**
 * Behaviour cloning: supervised training of the actor on (state, utterance) pairs from a scripted
 * policy. This makes the reference policy pi_ref that ArCHer starts from (and A*PO anchors to).
 */
import * as tf from '@tensorflow/tfjs';
import type { Actor } from '../../models/actor';
import type { Tokenizer } from '../../text/tokenizer';
import { EOU } from '../../text/tokenizer';
import { Rng } from '../../util/rng';
import type { TextEnv } from '../../envs/types';
import type { TextPolicy } from '../../envs/twenty-questions/policies';
import { episodeSeeds, runEpisode } from '../../rollout/episode';

export interface Demonstration {
  state: string;
  action: string;
}

/** Plays `games` seeded episodes with a scripted policy and keeps every (state, utterance) pair. */
export function collectDemonstrations(env: TextEnv<any>, policy: TextPolicy, games: number, seed: number): Demonstration[] {
  const out: Demonstration[] = [];
  for (const s of episodeSeeds(seed, games)) {
    const e = runEpisode(env, policy, s);
    let state = e.initialObs;
    for (const step of e.steps) {
      out.push({ state, action: step.action });
      state = step.obs;
    }
  }
  return out;
}

export interface CloneOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  rng: Rng;
  /** Called after every step with the mean negative log-likelihood per utterance. */
  onStep?: (step: number, totalSteps: number, loss: number) => void;
}

/** One optimiser step on a batch: minimise -mean log pi(utterance | state). Returns the loss. */
export function cloneStep(actor: Actor, tokenizer: Tokenizer, optimizer: tf.Optimizer, batch: readonly Demonstration[]): number {
  const contexts = batch.map((d) => tokenizer.encode(d.state));
  const utterances = batch.map((d) => [...tokenizer.encode(d.action), EOU]);
  const loss = optimizer.minimize(() => tf.neg(tf.mean(actor.sequenceLogProbs(contexts, utterances))) as tf.Scalar, true, Object.values(actor.params));
  const value = (loss as tf.Scalar).dataSync()[0] as number;
  loss?.dispose();
  return value;
}

/** Trains the actor on demonstrations for a number of shuffled epochs; returns the last epoch's mean loss. */
export function behaviourClone(actor: Actor, tokenizer: Tokenizer, demos: readonly Demonstration[], opts: CloneOptions): number {
  if (demos.length === 0) throw new Error('behaviour cloning needs at least one demonstration');
  const optimizer = tf.train.adam(opts.lr);
  const stepsPerEpoch = Math.ceil(demos.length / opts.batchSize);
  const total = stepsPerEpoch * opts.epochs;
  let step = 0;
  let last = Number.NaN;
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = opts.rng.shuffle(demos);
      let sum = 0;
      for (let i = 0; i < order.length; i += opts.batchSize) {
        const loss = cloneStep(actor, tokenizer, optimizer, order.slice(i, i + opts.batchSize));
        sum += loss;
        step += 1;
        opts.onStep?.(step, total, loss);
      }
      last = sum / stepsPerEpoch;
    }
  } finally {
    optimizer.dispose();
  }
  return last;
}
