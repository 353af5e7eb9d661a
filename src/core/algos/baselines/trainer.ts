/**
 * The on-policy baselines, one trainer, same actor and environments as ArCHer and A*PO:
 *
 *   ppo          each iteration plays algorithm.rollout_size episodes with the current policy,
 *                scores every utterance token with a value head (a critic-sized encoder over
 *                state ++ utterance prefix, Critic.tokenBaselines), computes advantages with
 *                algorithm.adv_estimator ('gae': token-level GAE, lambda = ppo.lam, discount
 *                algorithm.gamma at turn boundaries; 'archer': the same mixed with the turn-level
 *                advantage; 'bi_level_gae': RAGEN's, see advantages.ts), whitens them, then algorithm.actor_epochs passes of
 *                minibatches of algorithm.batch_size turns: one clipped-ratio actor step
 *                (ppo.clip_ratio) and one value step (MSE to the lambda-returns, critic_lr).
 *   grpo         rollout_size / grpo.group_size starts, grpo.group_size episodes from each; every
 *                token of an episode gets its group-normalised return; the same clipped-ratio
 *                steps, no value head.
 *   filtered_bc  online filtered behaviour cloning: every episode played so far is ranked by
 *                return and the top filtered_bc.top_fraction is imitated (-mean log pi of its
 *                tokens); each iteration takes actor_epochs x (this rollout's turns / batch_size)
 *                minibatches of batch_size turns drawn from the kept episodes.
 * Old log-probs are recomputed after the rollout (the sampler's equal them at temperature 1).
 * No replay buffer, no target network; an entropy bonus as in the other trainers.
 */
import * as tf from '@tensorflow/tfjs';
import { liveChanges, type Config } from '../../config';
import type { Actor } from '../../models/actor';
import type { Critic } from '../../models/critic';
import type { TextEnv } from '../../envs/types';
import { Rng } from '../../util/rng';
import { collectEpisodes } from '../../rollout/collect';
import { actorPolicy, encodeTurns, type EncodedTurn } from '../../rollout/actor-policy';
import type { Episode } from '../../rollout/episode';
import { addRolloutMetrics, addStats, stats } from '../../metrics/stats';
import { clippedStep, setLearningRate, sortedVariables } from '../grad';
import { entropyFromLogits } from '../archer/losses';
import { archerAdvantages, biLevelGae, gaeAdvantages, groupNormalised, topFraction, whiten, type GaeResult } from './advantages';
import { bcLoss, ppoClipLoss, valueLoss } from './losses';

export type Metrics = Record<string, number>;
export type OnPolicyAlgorithm = 'ppo' | 'grpo' | 'filtered_bc';

export interface OnPolicyIterationResult {
  iteration: number;
  metrics: Metrics;
  episodes: Episode[];
}

export interface OnPolicyDeps {
  config: Config;
  actor: Actor;
  /** PPO's value network (its encoder and token-level head); not used by GRPO or filtered BC. */
  valueNet?: Critic;
  makeEnv: () => TextEnv<any>;
}

/** One turn as the updates see it: the state's tokens, the utterance's tokens, and per-token numbers. */
interface Turn extends EncodedTurn {
  oldLogp: number[];
  advantage: number[];
  valueTarget: number[];
}

interface Kept {
  turns: EncodedTurn[];
  return: number;
}

export function isOnPolicyAlgorithm(name: string): name is OnPolicyAlgorithm {
  return name === 'ppo' || name === 'grpo' || name === 'filtered_bc';
}

/** Why this config cannot run the on-policy trainer, or undefined when it can. */
export function onPolicyConfigError(config: Config): string | undefined {
  const { algorithm, grpo } = config;
  if (!isOnPolicyAlgorithm(algorithm.name)) return `algorithm.name=${algorithm.name} is not an on-policy baseline (ppo, grpo, filtered_bc)`;
  if (algorithm.name === 'ppo' && !['gae', 'bi_level_gae', 'archer'].includes(algorithm.adv_estimator)) {
    return `PPO's algorithm.adv_estimator must be gae, bi_level_gae or archer, got ${algorithm.adv_estimator} (for group-normalised returns choose algorithm.name=grpo, for A*PO algorithm.name=apo)`;
  }
  if (algorithm.name === 'grpo' && algorithm.rollout_size % grpo.group_size !== 0) {
    return `GRPO plays grpo.group_size=${grpo.group_size} episodes from each start, so algorithm.rollout_size (${algorithm.rollout_size}) must be a multiple of it`;
  }
  return undefined;
}

/** Splits items into consecutive groups of at most n. */
function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** [B, U] rows of per-token numbers, zero-padded to the longest row. */
function grid(rows: readonly (readonly number[])[]): tf.Tensor2D {
  const U = Math.max(1, ...rows.map((r) => r.length));
  const flat = new Float32Array(rows.length * U);
  rows.forEach((r, b) => flat.set(r, b * U));
  return tf.tensor2d(flat, [rows.length, U]);
}

/** Reads a [B, U] tensor into per-row arrays cut to each row's length. */
async function readRows(t: tf.Tensor2D, lengths: readonly number[]): Promise<number[][]> {
  const data = (await t.data()) as Float32Array;
  const U = t.shape[1];
  return lengths.map((n, b) => Array.from(data.subarray(b * U, b * U + n)));
}

export class OnPolicyTrainer {
  readonly actor: Actor;
  readonly valueNet?: Critic;
  readonly algorithm: OnPolicyAlgorithm;
  config: Config;
  rng: Rng;
  iteration = 0;
  trajectories = 0;
  /** Filtered BC: every episode so far as (turns, return); only the kept ones hold their turns. */
  private history: Kept[] = [];
  private readonly makeEnv: () => TextEnv<any>;
  private readonly opt: tf.Optimizer;
  private readonly valueOpt?: tf.Optimizer;

  constructor(deps: OnPolicyDeps) {
    const why = onPolicyConfigError(deps.config);
    if (why) throw new Error(why);
    this.config = deps.config;
    this.algorithm = deps.config.algorithm.name as OnPolicyAlgorithm;
    this.actor = deps.actor;
    this.makeEnv = deps.makeEnv;
    if (this.algorithm === 'ppo') {
      if (!deps.valueNet) throw new Error('PPO needs a value network (valueNet)');
      this.valueNet = deps.valueNet;
      this.valueOpt = tf.train.adam(deps.config.algorithm.critic_lr);
    }
    this.rng = new Rng(deps.config.seed ^ 0x0b5e);
    this.opt = tf.train.adam(deps.config.algorithm.lm_lr);
  }

  private get temperature(): number {
    return this.config.actor_rollout_ref.rollout.temperature;
  }

  actorVariables(): tf.Variable[] {
    return sortedVariables(this.actor.params);
  }

  /** Start seeds of one rollout: distinct ones, or (GRPO) each start repeated group_size times. */
  private rolloutSeeds(): { seeds: number[]; groups: number[] } {
    const n = this.config.algorithm.rollout_size;
    if (this.algorithm !== 'grpo') {
      const seeds = Array.from({ length: n }, () => this.rng.nextUint32());
      return { seeds, groups: seeds.map((_, i) => i) };
    }
    const g = this.config.grpo.group_size;
    const starts = Array.from({ length: n / g }, () => this.rng.nextUint32());
    return { seeds: starts.flatMap((s) => Array.from({ length: g }, () => s)), groups: starts.flatMap((_, i) => Array.from({ length: g }, () => i)) };
  }

  /** A per-token [turns, tokens] quantity of turns (no gradient), batch_size turns at a time, as rows cut to each utterance. */
  private async perToken(turns: readonly EncodedTurn[], f: (contexts: number[][], utterances: number[][]) => tf.Tensor2D): Promise<number[][]> {
    const out: number[][] = [];
    for (const part of chunks(turns, Math.max(1, this.config.algorithm.batch_size))) {
      const t = tf.tidy(() => f(part.map((x) => x.context), part.map((x) => x.utterance)));
      out.push(...(await readRows(t, part.map((x) => x.utterance.length))));
      t.dispose();
    }
    return out;
  }

  /** Per-token log-probs of turns under the current actor. */
  private tokenLogProbs(turns: readonly EncodedTurn[]): Promise<number[][]> {
    return this.perToken(turns, (c, u) => this.actor.tokenLogProbs(c, u).logProbs);
  }

  /** Per-token values V(s, a_<u) of turns from the value head. */
  private tokenValues(turns: readonly EncodedTurn[]): Promise<number[][]> {
    const net = this.valueNet!;
    return this.perToken(turns, (c, u) => net.tokenBaselines(c, u));
  }

  /** Turns with old log-probs, advantages and value targets for this iteration's episodes. */
  private async score(episodes: readonly Episode[], groups: readonly number[], metrics: Metrics): Promise<Turn[]> {
    const { algorithm, archer, ppo } = this.config;
    const perEpisode = episodes.map((e) => encodeTurns(this.actor, e));
    const flat = perEpisode.flat();
    const oldLogp = await this.tokenLogProbs(flat);
    const turns: Turn[] = flat.map((t, i) => ({ ...t, oldLogp: oldLogp[i]!, advantage: [], valueTarget: [] }));
    let offset = 0;
    if (this.algorithm === 'grpo') {
      const adv = groupNormalised(episodes.map((e) => e.return), groups);
      perEpisode.forEach((ts, k) => {
        for (let t = 0; t < ts.length; t++) turns[offset + t]!.advantage = ts[t]!.utterance.map(() => adv[k]!);
        offset += ts.length;
      });
      addStats(metrics, 'actor/advantage', adv);
      return turns;
    }
    const values = await this.tokenValues(flat);
    addStats(metrics, 'critic/value', values.flat());
    const turnAdv: number[] = [];
    perEpisode.forEach((ts, k) => {
      const v = values.slice(offset, offset + ts.length);
      const rewards = episodes[k]!.steps.map((s) => s.reward);
      let out: GaeResult;
      if (algorithm.adv_estimator === 'archer') {
        const mixed = archerAdvantages(v, rewards, algorithm.gamma, ppo.lam, algorithm.high_level_gamma, archer.alpha);
        turnAdv.push(...mixed.turnAdvantages);
        out = mixed;
      } else if (algorithm.adv_estimator === 'bi_level_gae') {
        // RAGEN's defaults inside a turn: token gamma 1 (a turn's words are one decision), lambda ppo.lam at both levels.
        const bi = biLevelGae(v, rewards, 1, ppo.lam, algorithm.high_level_gamma);
        turnAdv.push(...bi.turnAdvantages);
        out = bi;
      } else {
        out = gaeAdvantages(v, rewards, algorithm.gamma, ppo.lam);
      }
      for (let t = 0; t < ts.length; t++) {
        turns[offset + t]!.advantage = out.advantages[t]!;
        turns[offset + t]!.valueTarget = out.returns[t]!;
      }
      offset += ts.length;
    });
    const raw = turns.flatMap((t) => t.advantage);
    addStats(metrics, 'actor/advantage', raw);
    if (turnAdv.length > 0) addStats(metrics, 'actor/turn_advantage', turnAdv);
    // Whitened over the batch's tokens, as PPO implementations do.
    const white = whiten(raw);
    let i = 0;
    for (const t of turns) t.advantage = t.advantage.map(() => white[i++]!);
    return turns;
  }

  /** One clipped-ratio actor step (and, for PPO, one value step) on a minibatch of turns. */
  private async policyStep(batch: readonly Turn[]): Promise<Metrics> {
    const { actor_rollout_ref, ppo, algorithm } = this.config;
    const contexts = batch.map((t) => t.context);
    const utterances = batch.map((t) => t.utterance);
    const old = grid(batch.map((t) => t.oldLogp));
    const adv = grid(batch.map((t) => t.advantage));
    let kept: tf.Tensor[] = [];
    const step = await clippedStep(
      this.opt,
      () => {
        const scores = this.actor.tokenLogProbs(contexts, utterances);
        const out = ppoClipLoss(scores.logProbs, old, adv, scores.mask, ppo.clip_ratio);
        const entropy = entropyFromLogits(scores.logits, scores.mask);
        kept = [out.loss, out.clipFraction, out.approxKl, entropy].map((t) => tf.keep(t));
        return tf.sub(out.loss, tf.mul(entropy, actor_rollout_ref.actor.entropy_coeff)) as tf.Scalar;
      },
      this.actorVariables(),
      actor_rollout_ref.actor.grad_clip,
    );
    const [pg, clipFrac, kl, entropy] = (await Promise.all(kept.map((t) => t.data()))) as Float32Array[];
    tf.dispose([...kept, old, adv]);
    const m: Metrics = {
      'actor/pg_loss': pg![0]!,
      'actor/clip_frac': clipFrac![0]!,
      'actor/approx_kl': kl![0]!,
      'actor/entropy': entropy![0]!,
      'actor/loss': step.loss,
      'actor/grad_norm': step.gradNorm,
    };
    if (this.valueNet && this.valueOpt) {
      const net = this.valueNet;
      const target = grid(batch.map((t) => t.valueTarget));
      const mask = grid(batch.map((t) => t.utterance.map(() => 1)));
      const v = await clippedStep(this.valueOpt, () => valueLoss(net.tokenBaselines(contexts, utterances), target, mask), net.valueVariables(), algorithm.critic_grad_clip);
      tf.dispose([target, mask]);
      m['critic/value_loss'] = v.loss;
      m['critic/grad_norm'] = v.gradNorm;
    }
    return m;
  }

  /** One behaviour-cloning step on a minibatch of kept turns. */
  private async bcStep(batch: readonly EncodedTurn[]): Promise<Metrics> {
    const { actor_rollout_ref } = this.config;
    let kept: tf.Tensor[] = [];
    const step = await clippedStep(
      this.opt,
      () => {
        const scores = this.actor.tokenLogProbs(batch.map((t) => t.context), batch.map((t) => t.utterance));
        const nll = bcLoss(scores.logProbs, scores.mask);
        const entropy = entropyFromLogits(scores.logits, scores.mask);
        kept = [nll, entropy].map((t) => tf.keep(t));
        return tf.sub(nll, tf.mul(entropy, actor_rollout_ref.actor.entropy_coeff)) as tf.Scalar;
      },
      this.actorVariables(),
      actor_rollout_ref.actor.grad_clip,
    );
    const [nll, entropy] = (await Promise.all(kept.map((t) => t.data()))) as Float32Array[];
    tf.dispose(kept);
    return { 'actor/bc_loss': nll![0]!, 'actor/entropy': entropy![0]!, 'actor/loss': step.loss, 'actor/grad_norm': step.gradNorm };
  }

  /** Filtered BC: adds the episodes to the history and returns the kept turns. */
  private filtered(episodes: readonly Episode[], metrics: Metrics): EncodedTurn[] {
    for (const e of episodes) this.history.push({ turns: encodeTurns(this.actor, e), return: e.return });
    const { kept, threshold } = topFraction(this.history, (h) => h.return, this.config.filtered_bc.top_fraction);
    // Memory: an episode below the threshold drops its tokens and keeps only its return for the
    // ranking. The threshold can fall again (more poor episodes raise the kept count), and then
    // such an episode counts in the top share without adding turns: kept_episodes says how many
    // the actor really imitates.
    for (const h of this.history) if (h.return < threshold) h.turns = [];
    metrics['filtered_bc/threshold'] = threshold;
    metrics['filtered_bc/kept_episodes'] = kept.filter((k) => k.turns.length > 0).length;
    metrics['filtered_bc/seen_episodes'] = this.history.length;
    return kept.flatMap((k) => k.turns);
  }

  async step(): Promise<OnPolicyIterationResult> {
    const t0 = performance.now();
    const metrics: Metrics = {};
    const { seeds, groups } = this.rolloutSeeds();
    let tokens = 0;
    const policy = actorPolicy(this.actor, { temperature: this.temperature, rng: this.rng, onTokens: (k) => (tokens += k) });
    const { episodes } = await collectEpisodes(this.makeEnv, seeds, policy, this.trajectories);
    this.trajectories += episodes.length;
    const rolloutMs = performance.now() - t0;
    const turnsPlayed = addRolloutMetrics(metrics, episodes, rolloutMs, tokens);

    const ta = performance.now();
    const { algorithm } = this.config;
    const bs = Math.max(1, algorithm.batch_size);
    const runs: Metrics[] = [];
    if (this.algorithm === 'filtered_bc') {
      const pool = this.filtered(episodes, metrics);
      const steps = algorithm.actor_epochs * Math.ceil(turnsPlayed / bs);
      for (let k = 0; k < steps && pool.length > 0; k++) runs.push(await this.bcStep(Array.from({ length: Math.min(bs, pool.length) }, () => this.rng.pick(pool))));
    } else {
      const turns = await this.score(episodes, groups, metrics);
      for (let epoch = 0; epoch < algorithm.actor_epochs; epoch++) {
        for (const batch of chunks(this.rng.shuffle(turns), bs)) runs.push(await this.policyStep(batch));
      }
    }
    metrics['perf/actor_ms'] = performance.now() - ta;
    if (runs.length > 0) {
      for (const key of Object.keys(runs[0]!)) metrics[key] = stats(runs.map((r) => r[key]!)).mean;
    }
    this.iteration += 1;
    metrics.iteration = this.iteration;
    metrics.trajectories = this.trajectories;
    metrics['perf/step_ms'] = performance.now() - t0;
    return { iteration: this.iteration, metrics, episodes };
  }

  /** Live-safe settings between iterations (see the schema's `live` flag); returns the keys that changed. */
  updateConfig(next: Config): string[] {
    const live = liveChanges(this.config, next);
    const why = onPolicyConfigError(next);
    if (why) throw new Error(why);
    this.config = next;
    setLearningRate(this.opt, next.algorithm.lm_lr);
    if (this.valueOpt) setLearningRate(this.valueOpt, next.algorithm.critic_lr);
    return live;
  }

  dispose(): void {
    this.opt.dispose();
    this.valueOpt?.dispose();
  }
}
