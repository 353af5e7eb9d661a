/**
 * The A*PO trainer (Brantley et al. 2025) in the multi-turn lab: a "prompt" is an episode's start
 * (the env seed: a hidden object, a shopping instruction) and a "response" is the agent's whole
 * trajectory, its own tokens only (log pi(y|x) = sum over turns of the utterance's token log-probs;
 * the environment's text is context, never scored).
 *
 *   Stage 1 (once, before the first iteration): for each of apo.num_prompts start seeds, play
 *   apo.num_ref_samples episodes with the FROZEN reference policy and cache
 *   V*(x) = beta1 ln mean_j exp(r_j / beta1)  (losses.ts: vStar).
 *   Stage 2 (every iteration): draw algorithm.rollout_size starts from the pool, play ONE episode
 *   each with the current policy, then algorithm.actor_epochs passes over them in minibatches of
 *   whole episodes holding at most algorithm.batch_size turns, each one Adam step on
 *     'ls': mean (beta2 [log pi(y|x) - log pi_ref(y|x)] - (r - V*))^2 - entropy_coeff * entropy
 *     'pg': -mean(lp * A) + kl_coeff * kl - entropy_coeff * entropy, A = clamp(r + pg_beta (lpRef - lp) - V*)
 *   (apoLoss / apoPgLoss), gradients clipped to actor grad_clip ('pg': at most 0.5, A*PO's value).
 * No critic, no replay buffer, no target network.
 */
import * as tf from '@tensorflow/tfjs';
import { liveChanges, type Config } from '../../config';
import type { Actor } from '../../models/actor';
import type { TextEnv } from '../../envs/types';
import { Rng } from '../../util/rng';
import { collectEpisodes } from '../../rollout/collect';
import { actorPolicy, encodeTurns } from '../../rollout/actor-policy';
import { episodeSeeds, type Episode } from '../../rollout/episode';
import { addRolloutMetrics, addStats, stats } from '../../metrics/stats';
import { clippedStep, setLearningRate, sortedVariables } from '../grad';
import { entropyFromLogits, maskedSum } from '../archer/losses';
import { APO_PG_GRAD_CLIP, apoLoss, apoPgLoss, vStar } from './losses';

export type Metrics = Record<string, number>;

export interface ApoIterationResult {
  iteration: number;
  metrics: Metrics;
  episodes: Episode[];
}

export interface ApoTrainerDeps {
  config: Config;
  /** The policy being trained (starts as a copy of the reference). */
  actor: Actor;
  /** The frozen reference policy pi_ref (never updated; the caller owns and disposes it). */
  reference: Actor;
  makeEnv: () => TextEnv<any>;
}

/** Stage 1's progress: reference episodes played so far of the total. */
export type Stage1Progress = (done: number, total: number) => void;

/** One scored trajectory of the current policy, as stage 2 trains on it. */
interface Scored {
  episode: Episode;
  seed: number;
  contexts: number[][];
  utterances: number[][];
  tokens: number;
  refLogProb: number;
  vStar: number;
}

/** Packs items (in order) into groups of at most `maxTurns` turns; an item larger than that is a group alone. */
export function packByTurns<T>(items: readonly T[], turns: (t: T) => number, maxTurns: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let n = 0;
  for (const it of items) {
    const k = turns(it);
    if (cur.length > 0 && n + k > maxTurns) {
      out.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(it);
    n += k;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export class ApoTrainer {
  readonly actor: Actor;
  readonly reference: Actor;
  config: Config;
  rng: Rng;
  iteration = 0;
  trajectories = 0;
  /** Reference episodes played in stage 1. */
  referenceEpisodes = 0;
  /** The prompt pool (env seeds) and each one's cached V*. */
  readonly prompts: number[];
  readonly vStars = new Map<number, number>();
  /** Stage 1's reference returns per prompt (what each V* was computed from). */
  readonly referenceReturns = new Map<number, number[]>();
  /** Mean return of the stage-1 reference samples. */
  referenceReturn = Number.NaN;
  private readonly makeEnv: () => TextEnv<any>;
  private readonly opt: tf.Optimizer;

  constructor(deps: ApoTrainerDeps) {
    this.config = deps.config;
    this.actor = deps.actor;
    this.reference = deps.reference;
    this.makeEnv = deps.makeEnv;
    this.rng = new Rng(deps.config.seed ^ 0x0a90);
    this.prompts = episodeSeeds(deps.config.seed ^ 0x70a9, deps.config.apo.num_prompts);
    this.opt = tf.train.adam(deps.config.algorithm.lm_lr);
  }

  get stage1Done(): boolean {
    return this.vStars.size === this.prompts.length;
  }

  private get temperature(): number {
    return this.config.actor_rollout_ref.rollout.temperature;
  }

  actorVariables(): tf.Variable[] {
    return sortedVariables(this.actor.params);
  }

  /**
   * Stage 1: num_ref_samples reference episodes per prompt (played in batches of 64), V* cached.
   * Idempotent: returns at once when done. Returns the stage's wall time in ms.
   */
  async prepare(onProgress?: Stage1Progress): Promise<number> {
    if (this.stage1Done) return 0;
    const t0 = performance.now();
    const { num_ref_samples: n, beta1 } = this.config.apo;
    const seeds = this.prompts.flatMap((s) => Array.from({ length: n }, () => s));
    const rng = new Rng(this.config.seed ^ 0x57a9e1);
    const policy = actorPolicy(this.reference, { temperature: this.temperature, rng });
    const returns = this.referenceReturns;
    returns.clear();
    let all = 0;
    const chunk = 64;
    for (let i = 0; i < seeds.length; i += chunk) {
      const { episodes } = await collectEpisodes(this.makeEnv, seeds.slice(i, i + chunk), policy, i);
      for (const e of episodes) {
        const list = returns.get(e.seed) ?? [];
        list.push(e.return);
        returns.set(e.seed, list);
        all += e.return;
      }
      this.referenceEpisodes = Math.min(seeds.length, i + chunk);
      onProgress?.(this.referenceEpisodes, seeds.length);
    }
    for (const s of this.prompts) this.vStars.set(s, vStar(returns.get(s)!, beta1));
    this.referenceReturn = all / seeds.length;
    return performance.now() - t0;
  }

  /** Sequence log-probs (summed over every turn's utterance tokens) of trajectories under a model, no gradient. */
  private async trajectoryLogProbs(model: Actor, batch: readonly Scored[]): Promise<Float32Array> {
    const turnLp = tf.tidy(() => this.episodeSums(batch, maskedSumOf(model, batch)));
    const out = (await turnLp.data()) as Float32Array;
    turnLp.dispose();
    return out;
  }

  /** [episodes] sums of a [turns] tensor laid out episode after episode. */
  private episodeSums(batch: readonly Scored[], perTurn: tf.Tensor1D): tf.Tensor1D {
    const N = perTurn.shape[0];
    const rows: number[] = [];
    let offset = 0;
    for (const s of batch) {
      for (let j = 0; j < N; j++) rows.push(j >= offset && j < offset + s.contexts.length ? 1 : 0);
      offset += s.contexts.length;
    }
    const M = tf.tensor2d(rows, [batch.length, N]);
    return tf.squeeze(tf.matMul(M, tf.expandDims(perTurn, 1)), [1]) as tf.Tensor1D;
  }

  /** Plays one episode per drawn start with the current policy. */
  private async rollout(): Promise<{ scored: Scored[]; ms: number; tokens: number }> {
    const t0 = performance.now();
    const starts = Array.from({ length: this.config.algorithm.rollout_size }, () => this.rng.pick(this.prompts));
    let tokens = 0;
    const policy = actorPolicy(this.actor, { temperature: this.temperature, rng: this.rng, onTokens: (k) => (tokens += k) });
    const { episodes } = await collectEpisodes(this.makeEnv, starts, policy, this.trajectories);
    this.trajectories += episodes.length;
    const scored: Scored[] = episodes.map((e, i) => {
      const turns = encodeTurns(this.actor, e);
      const utterances = turns.map((t) => t.utterance);
      return {
        episode: e,
        seed: starts[i]!,
        contexts: turns.map((t) => t.context),
        utterances,
        tokens: utterances.reduce((n, u) => n + u.length, 0),
        refLogProb: 0,
        vStar: this.vStars.get(starts[i]!)!,
      };
    });
    const withTurns = scored.filter((s) => s.contexts.length > 0);
    for (const group of packByTurns(withTurns, (s) => s.contexts.length, this.config.algorithm.batch_size)) {
      const ref = await this.trajectoryLogProbs(this.reference, group);
      group.forEach((s, i) => (s.refLogProb = ref[i]!));
    }
    return { scored, ms: performance.now() - t0, tokens };
  }

  /** One Adam step on a minibatch of trajectories; returns its numbers. */
  private async update(batch: readonly Scored[]): Promise<{ metrics: Metrics; advantages: number[] }> {
    const { apo, actor_rollout_ref } = this.config;
    const pg = apo.objective === 'pg';
    const contexts = batch.flatMap((s) => s.contexts);
    const utterances = batch.flatMap((s) => s.utterances);
    const reward = tf.tensor1d(batch.map((s) => s.episode.return));
    const v = tf.tensor1d(batch.map((s) => s.vStar));
    const ref = tf.tensor1d(batch.map((s) => s.refLogProb));
    const len = tf.tensor1d(batch.map((s) => s.tokens));
    let kept: tf.Tensor[] = [];
    const clip = pg ? Math.min(APO_PG_GRAD_CLIP, actor_rollout_ref.actor.grad_clip) : actor_rollout_ref.actor.grad_clip;
    const step = await clippedStep(
      this.opt,
      () => {
        const scores = this.actor.tokenLogProbs(contexts, utterances);
        const logp = this.episodeSums(batch, maskedSum(scores.logProbs, scores.mask));
        const entropy = entropyFromLogits(scores.logits, scores.mask);
        let objective: tf.Scalar;
        let advantage: tf.Tensor;
        let kl: tf.Tensor;
        if (pg) {
          const out = apoPgLoss({ logProb: logp, refLogProb: ref, length: len, reward, vStar: v, beta: apo.pg_beta, klCoeff: apo.kl_coeff, clip: apo.adv_clip });
          objective = out.loss;
          advantage = out.advantage;
          kl = out.kl;
        } else {
          objective = apoLoss(logp, ref, reward, v, apo.beta2);
          advantage = tf.sub(reward, v);
          kl = tf.mean(tf.sub(logp, ref));
        }
        kept = [objective, entropy, logp, advantage, kl].map((t) => tf.keep(t));
        return tf.sub(objective, tf.mul(entropy, actor_rollout_ref.actor.entropy_coeff)) as tf.Scalar;
      },
      this.actorVariables(),
      clip,
    );
    const [objective, entropy, logp, advantage, kl] = (await Promise.all(kept.map((t) => t.data()))) as Float32Array[];
    tf.dispose([...kept, reward, v, ref, len]);
    return {
      metrics: {
      'actor/apo_loss': objective![0]!,
      'actor/entropy': entropy![0]!,
      'actor/log_prob/mean': stats(logp!).mean,
      'actor/kl': kl![0]!,
      'actor/loss': step.loss,
      'actor/grad_norm': step.gradNorm,
      },
      advantages: Array.from(advantage!),
    };
  }

  /** One A*PO iteration (stage 1 first when it has not run). */
  async step(onStage1?: Stage1Progress): Promise<ApoIterationResult> {
    const t0 = performance.now();
    const metrics: Metrics = {};
    const stage1Ms = await this.prepare(onStage1);
    if (stage1Ms > 0) metrics['perf/stage1_ms'] = stage1Ms;
    const { scored, ms, tokens } = await this.rollout();
    const episodes = scored.map((s) => s.episode);
    addRolloutMetrics(metrics, episodes, ms, tokens);
    addStats(metrics, 'apo/v_star', scored.map((s) => s.vStar));
    metrics['apo/reference_return'] = this.referenceReturn;

    const ta = performance.now();
    const runs: { metrics: Metrics; advantages: number[] }[] = [];
    const trainable = scored.filter((s) => s.contexts.length > 0);
    for (let epoch = 0; epoch < this.config.algorithm.actor_epochs; epoch++) {
      const order = this.rng.shuffle(trainable);
      for (const group of packByTurns(order, (s) => s.contexts.length, this.config.algorithm.batch_size)) runs.push(await this.update(group));
    }
    metrics['perf/actor_ms'] = performance.now() - ta;
    if (runs.length > 0) {
      for (const key of Object.keys(runs[0]!.metrics)) {
        metrics[key] = runs.reduce((a, r) => a + r.metrics[key]!, 0) / runs.length;
      }
      addStats(metrics, 'actor/advantage', runs.flatMap((r) => r.advantages));
    }
    this.iteration += 1;
    metrics.iteration = this.iteration;
    metrics.trajectories = this.trajectories;
    metrics['apo/reference_episodes'] = this.referenceEpisodes;
    metrics['perf/step_ms'] = performance.now() - t0;
    return { iteration: this.iteration, metrics, episodes };
  }

  /** Live-safe settings between iterations (see the schema's `live` flag); returns the keys that changed. */
  updateConfig(next: Config): string[] {
    const live = liveChanges(this.config, next);
    this.config = next;
    setLearningRate(this.opt, next.algorithm.lm_lr);
    return live;
  }

  dispose(): void {
    this.opt.dispose();
  }
}

/** Per-turn summed utterance log-probs of a batch of trajectories under `model`, turn after turn. */
function maskedSumOf(model: Actor, batch: readonly { contexts: number[][]; utterances: number[][] }[]): tf.Tensor1D {
  const scores = model.tokenLogProbs(batch.flatMap((s) => s.contexts), batch.flatMap((s) => s.utterances));
  return maskedSum(scores.logProbs, scores.mask);
}
