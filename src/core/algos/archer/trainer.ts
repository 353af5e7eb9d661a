/**
 * The ArCHer trainer, as the reference code (YifeiZhou02/ArCHer) does it:
 *   each iteration, collect `rollout_size` episodes with the current actor and push their
 *   utterance-level transitions into a uniform replay buffer; run `critic_epochs` critic steps
 *   (Q_i -> r + gamma (1 - done) Vbar_i(s'), V_i -> Qbar_i(s, a_pi) with a_pi freshly sampled,
 *   Polyak update of the target critic after every step); then, once past `warmup_iterations`,
 *   `actor_epochs` actor steps with A = min(Q1,Q2)(s, a_pi) - min(V1,V2)(s) from the online
 *   critic and loss -mean(sum_t log pi(a_t | s, a_<t) * A) - entropy_coeff * entropy
 *   (+ archer.kl_coeff * KL(pi || pi_ref) when a reference policy is given; 0 in the paper).
 * Separate Adam optimisers and learning rates for actor and critic, global-norm gradient clipping.
 * With archer.turn_aware (this lab's option) the critic reads each state with its step count
 * (criticStateText) and the step-limit cut is stored as done, as ArCHer's WebShop critic reads the
 * whole history and its environment ends a timed-out episode with done.
 */
import * as tf from '@tensorflow/tfjs';
import { liveChanges, type Config } from '../../config';
import type { Actor } from '../../models/actor';
import type { Critic } from '../../models/critic';
import { byLength } from '../../models/batch';
import { EOU, UNK } from '../../text/tokenizer';
import { Rng, type RngState } from '../../util/rng';
import { ReplayBuffer, type Transition } from '../../replay/replay-buffer';
import type { TextEnv } from '../../envs/types';
import { collectEpisodes } from '../../rollout/collect';
import { actorPolicy } from '../../rollout/actor-policy';
import type { Episode } from '../../rollout/episode';
import { annotateEpisode, type ReplayEpisode } from '../../rollout/replay-episodes';
import { addRolloutMetrics, addStats, stats } from '../../metrics/stats';
import { clippedStep, setLearningRate, sortedVariables } from '../grad';
import { criticDiagnostics, transitionReturns, type CandidateScorer } from './diagnostics';
import { criticLoss, entropyFromLogits, klFromLogits, leaveOneOutAdvantage, maskedSum, pgLoss, polyakUpdate, qTargets, tokenBaselineLoss, tokenLevelPgLoss, utteranceAdvantage, vTargets } from './losses';

export type Metrics = Record<string, number>;

export interface IterationResult {
  iteration: number;
  metrics: Metrics;
  episodes: Episode[];
}

/** Every intermediate of one critic step, per sample of its batch (the teaching walk-through). */
export interface CriticExplain {
  batch: Transition[];
  /** a_pi ~ pi(.|s) sampled for each state (the V targets' actions), as text. */
  aPi: string[];
  gamma: number;
  tau: number;
  /** Online critic at (s, a) and s, before the step. */
  pred: { q1: Float32Array; q2: Float32Array; v1: Float32Array; v2: Float32Array };
  /** Target critic at s'. */
  vbarNext: { v1: Float32Array; v2: Float32Array };
  /** Target critic at (s, a_pi). */
  qbarPi: { q1: Float32Array; q2: Float32Array };
  targets: { q1: Float32Array; q2: Float32Array; v1: Float32Array; v2: Float32Array };
  /** Batch-mean losses of this step, as the optimiser saw them. */
  losses: { q1: number; q2: number; v1: number; v2: number; total: number };
  gradNorm: number;
  /** One weight of the critic: target before, online after the gradient step, target after the soft update. */
  polyak: { name: string; targetBefore: number; onlineAfterStep: number; targetAfter: number };
}

/** Every intermediate of one actor step (the teaching walk-through). */
export interface ActorExplain {
  states: string[];
  aPi: string[];
  /** Per sample: sum of token log-probs, the critic's Q1, Q2 at (s, a_pi) and V1, V2 at s, the advantage. */
  logProb: Float32Array;
  q1: Float32Array;
  q2: Float32Array;
  v1: Float32Array;
  v2: Float32Array;
  advantage: Float32Array;
  /** Per sample: the utterance's tokens and their log-probs (the <eou> token included when emitted). */
  tokens: { token: string; logProb: number }[][];
  pgLoss: number;
  entropy: number;
  entropyCoeff: number;
  loss: number;
  gradNorm: number;
  tokenLevel: boolean;
  /** archer.loo_samples of the step: 0 for A = min Q - min V, else utterances per state (rows grouped state by state). */
  looSamples: number;
}

export interface ArcherTrainerDeps {
  config: Config;
  actor: Actor;
  critic: Critic;
  makeEnv: () => TextEnv<any>;
  /**
   * The frozen policy the actor started from, for archer.kl_coeff > 0 (never updated; the caller
   * owns and disposes it). Without it a positive kl_coeff is refused at the actor step.
   */
  reference?: Actor;
  /**
   * Scores candidate utterances at a state (Twenty Questions: every question by the expert's
   * information gain), for the critic/q_rank_ig instrument; without it that instrument is skipped.
   */
  candidates?: CandidateScorer;
}

/**
 * The text the critic reads for a state: the state itself, or with archer.turn_aware the state
 * followed by a line with the number of steps already taken in the episode ("Steps: 3.").
 */
export function criticStateText(state: string, turn: number | undefined, turnAware: boolean): string {
  if (!turnAware) return state;
  if (turn === undefined || !Number.isInteger(turn) || turn < 0) {
    throw new Error(`archer.turn_aware needs the turn of every transition, got ${turn}`);
  }
  return `${state}${state.endsWith('\n') || state === '' ? '' : '\n'}Steps: ${turn}.\n`;
}

/** archer.loo_samples is 0 (the paper's advantage) or a number of utterances per state, at least 2. */
function refuseLooSamples(config: Config): void {
  if (config.archer.loo_samples === 1) {
    throw new Error("archer.loo_samples must be 0 (the paper's A = min Q - min V) or at least 2 (utterances per state for the leave-one-out baseline), got 1");
  }
}

function meanOf(xs: number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export class ArcherTrainer {
  readonly actor: Actor;
  readonly critic: Critic;
  readonly target: Critic;
  readonly reference: Actor | undefined;
  replay: ReplayBuffer;
  config: Config;
  rng: Rng;
  iteration = 0;
  trajectories = 0;
  private readonly makeEnv: () => TextEnv<any>;
  private readonly candidates: CandidateScorer | undefined;
  private actorOpt: tf.Optimizer;
  private criticOpt: tf.Optimizer;
  /** Trains the token-level baseline head (token-level variant only). */
  private baselineOpt: tf.Optimizer;

  constructor(deps: ArcherTrainerDeps) {
    if (deps.config.archer.turn_aware) {
      const unreadable = ['Steps: 0.', 'Steps: 9.'].some((t) => deps.actor.tokenizer.encode(t).includes(UNK));
      if (unreadable) {
        throw new Error("archer.turn_aware: this environment's vocabulary has no words for the critic's step line (\"Steps: 3.\"); it is meant for WebShop (Twenty Questions' states already list every question asked)");
      }
    }
    refuseLooSamples(deps.config);
    this.config = deps.config;
    this.actor = deps.actor;
    this.critic = deps.critic;
    this.target = deps.critic.clone();
    this.reference = deps.reference;
    this.makeEnv = deps.makeEnv;
    this.candidates = deps.candidates;
    this.replay = new ReplayBuffer(deps.config.algorithm.replay_buffer_capacity);
    this.rng = new Rng(deps.config.seed ^ 0x41726368);
    this.actorOpt = tf.train.adam(deps.config.algorithm.lm_lr);
    this.criticOpt = tf.train.adam(deps.config.algorithm.critic_lr);
    this.baselineOpt = tf.train.adam(deps.config.algorithm.critic_lr);
  }

  actorVariables(): tf.Variable[] {
    return sortedVariables(this.actor.params);
  }

  get optimizers(): { actor: tf.Optimizer; critic: tf.Optimizer; baseline: tf.Optimizer } {
    return { actor: this.actorOpt, critic: this.criticOpt, baseline: this.baselineOpt };
  }

  private get temperature(): number {
    return this.config.actor_rollout_ref.rollout.temperature;
  }

  private contexts(texts: readonly string[]): number[][] {
    return texts.map((t) => this.actor.tokenizer.encode(t));
  }

  /**
   * What the critic reads for the states (or, with `next`, the next states) of a batch; `encoded`
   * is those states as the actor reads them, reused when the critic reads the same (turn_aware off).
   */
  private criticContexts(batch: readonly Transition[], next: boolean, encoded?: number[][]): number[][] {
    const aware = this.config.archer.turn_aware;
    if (!aware && encoded) return encoded;
    return this.contexts(batch.map((b) => criticStateText(next ? b.nextState : b.state, b.turn === undefined ? undefined : b.turn + (next ? 1 : 0), aware)));
  }

  /** a_pi ~ pi(. | s) for a batch of states: the utterance tokens with <eou> when it was emitted. */
  private async sampleActions(contexts: number[][]): Promise<number[][]> {
    const out = await this.actor.generate(contexts, { temperature: this.temperature, maxTokens: this.actor.config.maxUtteranceTokens, rng: this.rng });
    return out.tokens.map((t, i) => (out.finished[i] ? [...t, EOU] : t.length > 0 ? t : [EOU]));
  }

  /**
   * a_pi ~ pi(. | s) for many states: sampled `chunk` rows at a time in order of context length, so
   * each call pads its rows only to lengths close to their own; returned in the given order.
   */
  private async sampleActionsByLength(contexts: number[][], chunk: number): Promise<number[][]> {
    const order = byLength(contexts.map((c) => c.length));
    const out = new Array<number[]>(contexts.length);
    for (let k = 0; k < order.length; k += chunk) {
      const rows = order.slice(k, k + chunk);
      const sampled = await this.sampleActions(rows.map((i) => contexts[i]!));
      rows.forEach((i, j) => (out[i] = sampled[j]!));
    }
    return out;
  }

  /** Sampled utterances (token ids, <eou> included when emitted) as text, for the walk-through. */
  private utteranceTexts(utterances: number[][]): string[] {
    return utterances.map((ids) => this.actor.tokenizer.decode(ids.filter((id) => id !== EOU)));
  }

  /** Collects rollout_size episodes with the current actor and stores their transitions. */
  async collect(): Promise<{ episodes: Episode[]; transitions: Transition[]; ms: number; tokens: number }> {
    const t0 = performance.now();
    const seeds = Array.from({ length: this.config.algorithm.rollout_size }, () => this.rng.nextUint32());
    let tokens = 0;
    const policy = actorPolicy(this.actor, { temperature: this.temperature, rng: this.rng, onTokens: (n) => (tokens += n) });
    const { episodes, transitions } = await collectEpisodes(this.makeEnv, seeds, policy, this.trajectories, { cutIsDone: this.config.archer.turn_aware || this.config.archer.cut_is_done });
    this.replay.pushMany(transitions);
    this.trajectories += episodes.length;
    return { episodes, transitions, ms: performance.now() - t0, tokens };
  }

  /** One scalar of the first critic variable, online and target, to show the soft target update. */
  private async polyakProbe(): Promise<{ name: string; targetBefore: number; online(): Promise<number>; target(): Promise<number> }> {
    const names = Object.keys(this.critic.params).filter((k) => !k.startsWith('head.b.')).sort();
    const name = names[0]!;
    const first = async (v: tf.Variable) => ((await v.data()) as Float32Array)[0]!;
    const targetVar = this.target.params[name] as tf.Variable;
    const onlineVar = this.critic.params[name] as tf.Variable;
    return { name: `${name}[0]`, targetBefore: await first(targetVar), online: () => first(onlineVar), target: () => first(targetVar) };
  }

  /**
   * One critic step on a replay batch; returns its statistics. `opts.batch` / `opts.aPi` replace the
   * sampled batch and actions (the teaching walk-through), and `opts.explain` also returns every
   * per-sample intermediate (bootstrap values, targets) of this very step.
   */
  async criticStep(opts: { batch?: Transition[]; aPi?: number[][]; explain?: boolean; returns?: readonly number[] } = {}): Promise<{ metrics: Metrics; values: Record<string, Float32Array>; explain?: CriticExplain }> {
    const { algorithm } = this.config;
    const batch = opts.batch ?? this.replay.sample(algorithm.batch_size, this.rng);
    const s = this.contexts(batch.map((b) => b.state));
    const cs = this.criticContexts(batch, false, s);
    const a = batch.map((b) => this.actor.tokenizer.encodeUtterance(b.action));
    if (opts.returns && opts.explain) throw new Error('criticStep: the walk-through explains temporal-difference steps, not Monte Carlo warm-up steps');
    const mc = opts.returns;
    if (mc && mc.length !== batch.length) throw new Error(`criticStep: ${mc.length} returns for ${batch.length} transitions`);
    const next = mc ? [] : this.criticContexts(batch, true);
    const aPi = mc ? [] : (opts.aPi ?? (await this.sampleActions(s)));

    // Targets from the target critic (or, in the Monte Carlo warm-up, the returns): constants for the gradient.
    const targets = mc ? tf.tidy(() => {
      const g = () => tf.tensor1d(Array.from(mc));
      return { qt1: g(), qt2: g(), vt1: g(), vt2: g(), tq1: g(), tq2: g(), vn1: g(), vn2: g() };
    }) : tf.tidy(() => {
      const vNext = this.target.stateValues(next);
      const qPi = this.target.values(cs, aPi);
      const r = tf.tensor1d(batch.map((b) => b.reward));
      const d = tf.tensor1d(batch.map((b) => (b.done ? 1 : 0)));
      const q = qTargets(r, d, vNext.v1, vNext.v2, algorithm.gamma);
      const v = vTargets(qPi.q1, qPi.q2);
      return { qt1: q.t1, qt2: q.t2, vt1: v.t1, vt2: v.t2, tq1: qPi.q1, tq2: qPi.q2, vn1: vNext.v1, vn2: vNext.v2 };
    });
    const probe = opts.explain ? await this.polyakProbe() : undefined;
    let kept: tf.Tensor[] = [];
    const step = await clippedStep(
      this.criticOpt,
      () => {
        const pred = this.critic.values(cs, a);
        const l = criticLoss(pred, targets);
        kept = [pred.q1, pred.q2, pred.v1, pred.v2, l.q1, l.q2, l.v1, l.v2].map((t) => tf.keep(t));
        return l.total;
      },
      this.critic.variables(),
      algorithm.critic_grad_clip,
    );
    const onlineAfterStep = probe ? await probe.online() : undefined;
    polyakUpdate(this.target.variables(), this.critic.variables(), algorithm.tau);
    const [q1, q2, v1, v2, lq1, lq2, lv1, lv2] = await Promise.all(kept.map((t) => t.data() as Promise<Float32Array>));
    const [tq1, tq2] = await Promise.all([targets.tq1.data() as Promise<Float32Array>, targets.tq2.data() as Promise<Float32Array>]);
    let explain: CriticExplain | undefined;
    if (probe && onlineAfterStep !== undefined) {
      const [qt1, qt2, vt1, vt2, vn1, vn2] = (await Promise.all([targets.qt1, targets.qt2, targets.vt1, targets.vt2, targets.vn1, targets.vn2].map((t) => t.data()))) as Float32Array[];
      explain = {
        batch,
        aPi: this.utteranceTexts(aPi),
        gamma: algorithm.gamma,
        tau: algorithm.tau,
        pred: { q1: q1!, q2: q2!, v1: v1!, v2: v2! },
        vbarNext: { v1: vn1!, v2: vn2! },
        qbarPi: { q1: tq1, q2: tq2 },
        targets: { q1: qt1!, q2: qt2!, v1: vt1!, v2: vt2! },
        losses: { q1: lq1![0]!, q2: lq2![0]!, v1: lv1![0]!, v2: lv2![0]!, total: step.loss },
        gradNorm: step.gradNorm,
        polyak: { name: probe.name, targetBefore: probe.targetBefore, onlineAfterStep, targetAfter: await probe.target() },
      };
    }
    tf.dispose([...kept, ...Object.values(targets)]);
    return {
      explain,
      metrics: {
      'critic/loss': step.loss,
      'critic/q1_loss': lq1![0]!,
      'critic/q2_loss': lq2![0]!,
      'critic/v1_loss': lv1![0]!,
      'critic/v2_loss': lv2![0]!,
      'critic/grad_norm': step.gradNorm,
      },
      values: { q1: q1!, q2: q2!, v1: v1!, v2: v2!, target_q1: tq1, target_q2: tq2 },
    };
  }

  /**
   * One actor step: fresh a_pi at replay states, A = min(Q1,Q2)(s,a_pi) - min(V1,V2)(s) from the
   * online critic, then the utterance-level policy gradient, or with archer.token_level the
   * token-level one (A - b(s, a_<t) per token) followed by a step of the token baseline toward A.
   */
  async actorStep(opts: { batch?: Transition[]; explain?: boolean } = {}): Promise<{ metrics: Metrics; advantages: Float32Array; explain?: ActorExplain }> {
    const { algorithm, actor_rollout_ref, archer } = this.config;
    const klCoeff = archer.kl_coeff;
    if (klCoeff > 0 && !this.reference) {
      throw new Error(`archer.kl_coeff is ${klCoeff} but this trainer has no reference policy to anchor to; set archer.kl_coeff = 0 or start from a reference policy`);
    }
    // archer.loo_samples = K >= 2: K utterances at each of batch_size / K states, A from Q alone.
    refuseLooSamples(this.config);
    const k = archer.loo_samples;
    const picked = opts.batch ?? this.replay.sample(k >= 2 ? Math.max(1, Math.floor(algorithm.batch_size / k)) : algorithm.batch_size, this.rng);
    const batch = k >= 2 ? picked.flatMap((b) => Array.from({ length: k }, () => b)) : picked;
    const s = this.contexts(batch.map((b) => b.state));
    const cs = this.criticContexts(batch, false, s);
    const aPi = await this.sampleActions(s);
    let heads: tf.Tensor[] = [];
    const advantage = tf.tidy(() => {
      const v = this.critic.values(cs, aPi);
      if (opts.explain) heads = [v.q1, v.q2, v.v1, v.v2].map((t) => tf.keep(t));
      return k >= 2 ? leaveOneOutAdvantage(v.q1, v.q2, k) : utteranceAdvantage(v.q1, v.q2, v.v1, v.v2);
    });
    let tokenLogProbs: tf.Tensor | undefined;
    const baselines = archer.token_level ? tf.tidy(() => this.critic.tokenBaselines(cs, aPi)) : undefined;
    let kept: tf.Tensor[] = [];
    const coeff = actor_rollout_ref.actor.entropy_coeff;
    const refLogits = klCoeff > 0 ? tf.tidy(() => this.reference!.tokenLogProbs(s, aPi).logits) : undefined;
    const step = await clippedStep(
      this.actorOpt,
      () => {
        const scores = this.actor.tokenLogProbs(s, aPi);
        const logp = maskedSum(scores.logProbs, scores.mask);
        const pg = baselines
          ? tokenLevelPgLoss({ logProbs: scores.logProbs, mask: scores.mask, advantage, baselines })
          : pgLoss(logp, advantage);
        const entropy = entropyFromLogits(scores.logits, scores.mask);
        const kl = refLogits ? klFromLogits(scores.logits, refLogits, scores.mask) : tf.scalar(0);
        kept = [pg, entropy, logp, kl].map((t) => tf.keep(t));
        if (opts.explain) tokenLogProbs = tf.keep(scores.logProbs);
        return tf.add(tf.sub(pg, tf.mul(entropy, coeff)), tf.mul(kl, klCoeff)) as tf.Scalar;
      },
      this.actorVariables(),
      actor_rollout_ref.actor.grad_clip,
    );
    const metrics: Metrics = {};
    if (baselines) {
      const U = baselines.shape[1];
      const mask = tf.tensor2d(aPi.flatMap((a) => Array.from({ length: U }, (_, u) => (u < a.length ? 1 : 0))), [aPi.length, U]);
      const b = await clippedStep(this.baselineOpt, () => tokenBaselineLoss(this.critic.tokenBaselines(cs, aPi), mask, advantage), this.critic.baselineVariables(), algorithm.critic_grad_clip);
      metrics['actor/token_baseline/mean'] = stats((await baselines.data()) as Float32Array).mean;
      metrics['actor/token_baseline_loss'] = b.loss;
      tf.dispose([mask, baselines]);
    }
    if (refLogits) refLogits.dispose();
    const [pg, entropy, logp, kl] = await Promise.all(kept.map((t) => t.data() as Promise<Float32Array>));
    const adv = (await advantage.data()) as Float32Array;
    let explain: ActorExplain | undefined;
    if (opts.explain && tokenLogProbs) {
      const [q1, q2, v1, v2] = (await Promise.all(heads.map((t) => t.data()))) as Float32Array[];
      const perToken = (await tokenLogProbs.array()) as number[][];
      const tok = this.actor.tokenizer;
      explain = {
        states: batch.map((b) => b.state),
        aPi: this.utteranceTexts(aPi),
        logProb: logp!,
        q1: q1!,
        q2: q2!,
        v1: v1!,
        v2: v2!,
        advantage: adv,
        tokens: aPi.map((ids, i) => ids.map((id, u) => ({ token: tok.tokenOf(id), logProb: perToken[i]?.[u] ?? Number.NaN }))),
        pgLoss: pg![0]!,
        entropy: entropy![0]!,
        entropyCoeff: coeff,
        loss: step.loss,
        gradNorm: step.gradNorm,
        tokenLevel: archer.token_level,
        looSamples: k >= 2 ? k : 0,
      };
    }
    tf.dispose([...kept, advantage, ...heads, ...(tokenLogProbs ? [tokenLogProbs] : [])]);
    Object.assign(metrics, {
      'actor/pg_loss': pg![0]!,
      'actor/entropy': entropy![0]!,
      'actor/kl': kl![0]!,
      'actor/log_prob/mean': stats(logp!).mean,
      'actor/loss': step.loss,
      'actor/grad_norm': step.gradNorm,
    });
    return { metrics, advantages: adv, explain };
  }

  /** One full ArCHer iteration: rollout, critic updates, then (after warm-up) actor updates. */
  async step(): Promise<IterationResult> {
    const t0 = performance.now();
    const { algorithm } = this.config;
    const rollout = await this.collect();
    const metrics: Metrics = {};
    addRolloutMetrics(metrics, rollout.episodes, rollout.ms, rollout.tokens);
    if (this.config.trainer.diagnostics) {
      const td = performance.now();
      Object.assign(metrics, await this.diagnose(rollout.transitions));
      metrics['perf/diagnostics_ms'] = performance.now() - td;
    }

    const tc = performance.now();
    const criticRuns = [];
    const warmupMc = this.config.archer.warmup_targets === 'mc' && this.iteration < algorithm.warmup_iterations;
    // Monte Carlo warm-up: regress Q and V on the discounted returns-to-go of the stored episodes.
    const stored = warmupMc ? this.replay.toArray() : [];
    const returns = warmupMc ? transitionReturns(stored, algorithm.gamma) : [];
    // a^pi for every critic step of the iteration, drawn before the first: the actor does not change
    // during the critic steps, so these are draws from the same policy as one step at a time would
    // make, and drawn together the states can be sampled in order of length (less padding).
    const batches = warmupMc ? [] : Array.from({ length: algorithm.critic_epochs }, () => this.replay.sample(algorithm.batch_size, this.rng));
    const aPis = batches.length > 0 ? await this.sampleActionsByLength(this.contexts(batches.flat().map((b) => b.state)), algorithm.batch_size) : [];
    for (let i = 0; i < algorithm.critic_epochs; i++) {
      if (!warmupMc) {
        const n = batches[i]!.length;
        criticRuns.push(await this.criticStep({ batch: batches[i], aPi: aPis.slice(i * n, (i + 1) * n) }));
        continue;
      }
      const picks = Array.from({ length: algorithm.batch_size }, () => this.rng.int(stored.length));
      criticRuns.push(await this.criticStep({ batch: picks.map((k) => stored[k]!), returns: picks.map((k) => returns[k]!) }));
    }
    metrics['critic/mc_warmup'] = warmupMc ? 1 : 0;
    metrics['perf/critic_ms'] = performance.now() - tc;
    if (criticRuns.length > 0) {
      for (const key of ['critic/loss', 'critic/q1_loss', 'critic/q2_loss', 'critic/v1_loss', 'critic/v2_loss', 'critic/grad_norm']) {
        metrics[key] = meanOf(criticRuns.map((r) => r.metrics[key] as number));
      }
      for (const name of ['q1', 'q2', 'v1', 'v2', 'target_q1', 'target_q2']) {
        const all = criticRuns.flatMap((r) => Array.from(r.values[name] ?? []));
        addStats(metrics, `critic/${name}`, all);
      }
    }

    const ta = performance.now();
    const actorRuns = [];
    if (this.iteration >= algorithm.warmup_iterations) {
      for (let i = 0; i < algorithm.actor_epochs; i++) actorRuns.push(await this.actorStep());
    }
    metrics['perf/actor_ms'] = performance.now() - ta;
    if (actorRuns.length > 0) {
      for (const key of Object.keys(actorRuns[0]?.metrics ?? {})) {
        metrics[key] = meanOf(actorRuns.map((r) => r.metrics[key] as number));
      }
      const advantages = actorRuns.flatMap((r) => Array.from(r.advantages));
      addStats(metrics, 'actor/advantage', advantages);
      metrics['actor/advantage/pos_frac'] = advantages.filter((a) => a > 0).length / advantages.length;
    }
    this.iteration += 1;
    metrics.iteration = this.iteration;
    metrics.trajectories = this.trajectories;
    metrics['replay/size'] = this.replay.size;
    metrics['perf/step_ms'] = performance.now() - t0;
    return { iteration: this.iteration, metrics, episodes: rollout.episodes };
  }

  /**
   * The critic's instruments (diagnostics.ts) on transitions it has not trained on yet: explained
   * variance against Monte Carlo returns, the value scale, and how it ranks candidate questions.
   * Its own Rng, so the run's random stream is the same with the instruments on or off.
   */
  diagnose(transitions: readonly Transition[]): Promise<Metrics> {
    const aware = this.config.archer.turn_aware;
    return criticDiagnostics({
      critic: this.critic,
      tokenizer: this.actor.tokenizer,
      transitions,
      gamma: this.config.algorithm.gamma,
      criticText: (t) => criticStateText(t.state, t.turn, aware),
      candidates: this.candidates,
      probeStates: 4,
      rng: new Rng((this.config.seed ^ 0xd1a9) + this.iteration * 7919),
    });
  }

  /**
   * The critic's Q1, Q2, V1, V2 for every turn of the given episodes (one batched forward pass of
   * the online critic at its current weights), for the replay view.
   */
  async annotate(episodes: readonly Episode[], iteration = this.iteration): Promise<ReplayEpisode[]> {
    const states: string[] = [];
    const actions: string[] = [];
    for (const e of episodes) {
      e.steps.forEach((step, t) => {
        states.push(criticStateText(t === 0 ? e.initialObs : (e.steps[t - 1]?.obs ?? ''), t, this.config.archer.turn_aware));
        actions.push(step.action);
      });
    }
    if (states.length === 0) return episodes.map((e, i) => annotateEpisode(e, { q1: [], q2: [], v1: [], v2: [] }, iteration, i));
    const values = tf.tidy(() => {
      const v = this.critic.values(this.contexts(states), actions.map((a) => this.actor.tokenizer.encodeUtterance(a)));
      return [v.q1, v.q2, v.v1, v.v2];
    });
    const [q1, q2, v1, v2] = (await Promise.all(values.map((t) => t.data()))) as Float32Array[];
    tf.dispose(values);
    let offset = 0;
    return episodes.map((e, i) => {
      const n = e.steps.length;
      const slice = (a: Float32Array) => a.subarray(offset, offset + n);
      const out = annotateEpisode(e, { q1: slice(q1!), q2: slice(q2!), v1: slice(v1!), v2: slice(v2!) }, iteration, i);
      offset += n;
      return out;
    });
  }

  /**
   * Takes new settings between iterations. Only live-safe keys may change (see the schema's `live`
   * flag); anything else throws naming the keys, and the trainer keeps its settings.
   * Returns the keys that changed.
   */
  updateConfig(next: Config): string[] {
    const live = liveChanges(this.config, next);
    this.config = next;
    setLearningRate(this.actorOpt, next.algorithm.lm_lr);
    setLearningRate(this.criticOpt, next.algorithm.critic_lr);
    setLearningRate(this.baselineOpt, next.algorithm.critic_lr);
    return live;
  }

  /** Counters and RNG state, for a checkpoint. */
  counters(): { iteration: number; trajectories: number; rng: RngState } {
    return { iteration: this.iteration, trajectories: this.trajectories, rng: this.rng.getState() };
  }

  /** Puts back what a checkpoint saved (weights are restored by the caller through the models). */
  async restore(state: { iteration: number; trajectories: number; rng: RngState; replay: ReplayBuffer; optimizers: Record<string, (opt: tf.Optimizer) => Promise<void>> }): Promise<void> {
    this.iteration = state.iteration;
    this.trajectories = state.trajectories;
    this.rng.setState(state.rng);
    this.replay = state.replay;
    await state.optimizers.actor?.(this.actorOpt);
    await state.optimizers.critic?.(this.criticOpt);
    await state.optimizers.baseline?.(this.baselineOpt);
  }

  dispose(): void {
    this.target.dispose();
    this.actorOpt.dispose();
    this.criticOpt.dispose();
    this.baselineOpt.dispose();
  }
}
