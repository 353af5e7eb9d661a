/**
 * A*PO's losses (Brantley et al. 2025, "Accelerating RL for LLM Reasoning with Optimal Advantage
 * Regression"; reference code ZhaolinGao/A-PO). See /work/shared/DESIGN.md, section A*PO.
 *
 * Stage 1 (offline, once per prompt x, plain JS): sample N responses y_1..y_N from the FROZEN
 * reference policy, score them, and estimate the optimal value of the KL-regularised objective
 *
 *   V*(x) = beta1 * ln( (1/N) sum_j exp( r(x, y_j) / beta1 ) )                          (vStar)
 *
 * (the reference code computes exactly this: `np.log(np.exp(v / beta1).mean(1)) * beta1`, in
 * rl_dataset.py; here it is computed without overflow, see vStar). Limits: beta1 -> 0 gives
 * max_j r_j, beta1 -> infinity gives mean_j r_j (+ Var_j(r) / (2 beta1) to first order).
 *
 * Stage 2 (on-policy, one response per prompt from the current policy pi), least squares:
 *
 *   L = mean_batch ( beta2 * [log pi(y|x) - log pi_ref(y|x)] - (r(x, y) - V*(x)) )^2     (apoLoss)
 *
 * with SEQUENCE log-probs (sum over the response's tokens), no critic, no clipping. Only
 * log pi(y|x) carries gradient: d L / d logp_b = (2 / B) * beta2 * residual_b.
 *
 * Policy-gradient variant (the lab's second A*PO mode), with length-normalised log-probs:
 *
 *   lp_b    = logProb_b / len_b,  lpRef_b = refLogProb_b / len_b
 *   A_b     = clamp( r_b + beta * (lpRef_b - lp_b) - V*_b, -clip, clip )   (a constant)
 *   kl      = mean_batch (lp_b - lpRef_b)          (sample estimate of KL(pi || pi_ref) per token)
 *   L_pg    = -mean_batch( lp_b * A_b ) + klCoeff * kl                                  (apoPgLoss)
 *
 * Grad-norm clipping (0.5, APO_PG_GRAD_CLIP) belongs to the trainer, not to the loss.
 *
 * Pure, like ../archer/losses.ts: no variables, no optimizers, no reads back to JS; tensors in, new
 * tensors out, every intermediate inside tf.tidy. Every input except the policy's own log-probs
 * is wrapped in stopGradient, so no gradient reaches the reference model, the rewards, V* or the
 * lengths even when a caller builds them inside the gradient function.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../archer/losses';

type Tensor1D = tf.Tensor1D;
type Scalar = tf.Scalar;

/** Reference settings from the paper / DESIGN.md (the trainer and config schema own the real values). */
export const APO_DEFAULTS = {
  /** Stage-1 temperature of the V* estimator. */
  beta1: 0.5,
  /** Stage-2 KL strength in the least-squares loss. */
  beta2: 1e-3,
  /** Reference-policy samples per prompt for V*. */
  numSamples: 8,
} as const;

/** Global grad-norm clip the policy-gradient variant is meant to be trained with (applied by the trainer). */
export const APO_PG_GRAD_CLIP = 0.5;

// ---------------------------------------------------------------------------------------------
// Stage 1: V*(x), plain JS
// ---------------------------------------------------------------------------------------------

/**
 * V*(x) = beta1 * ln( (1/N) sum_j exp(r_j / beta1) ), computed stably:
 *
 *   m = max_j r_j,  z_j = (r_j - m) / beta1 <= 0
 *   V* = m + beta1 * ln( (1/N) sum_j exp(z_j) ) = m + beta1 * log1p( (1/N) sum_j expm1(z_j) )
 *
 * Subtracting the max means exp never overflows (exp(z_j) <= 1, e.g. rewards 1000 with
 * beta1 = 0.001 would otherwise need exp(1e6)). Using expm1/log1p instead of exp/log keeps the
 * digits when beta1 is large and every z_j is tiny (the mean of exp(z_j) is then 1 - O(z), and
 * log(1 - eps) computed as log of a rounded number loses eps's low digits). The max term gives
 * expm1(0) = 0, so the mean is >= -(N-1)/N > -1 and log1p stays finite.
 *
 * Throws for an empty list, a non-finite reward, or beta1 not a finite number > 0. (The reference
 * code treats beta1 = 0 as "use the plain mean" and beta1 < 0 as "V* = 0"; here those are errors:
 * a caller who wants the mean should ask for it explicitly.)
 */
export function vStar(rewards: readonly number[], beta1: number): number {
  if (!Number.isFinite(beta1) || beta1 <= 0) throw new Error(`vStar: beta1 must be a finite number > 0, got ${beta1}`);
  const n = rewards.length;
  if (n === 0) throw new Error('vStar: rewards must not be empty');
  let m = -Infinity;
  for (let j = 0; j < n; j++) {
    const r = rewards[j]!;
    if (!Number.isFinite(r)) throw new Error(`vStar: reward ${j} is not finite (${r})`);
    if (r > m) m = r;
  }
  let sumExpm1 = 0;
  for (let j = 0; j < n; j++) sumExpm1 += Math.expm1((rewards[j]! - m) / beta1);
  return m + beta1 * Math.log1p(sumExpm1 / n);
}

/** vStar for each prompt's list of reference-policy rewards; errors name the offending prompt. */
export function vStarBatch(rewardsPerPrompt: readonly (readonly number[])[], beta1: number): number[] {
  return rewardsPerPrompt.map((rewards, i) => {
    try {
      return vStar(rewards, beta1);
    } catch (e) {
      throw new Error(`vStarBatch: prompt ${i}: ${(e as Error).message}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Checks (shapes and hyperparameters; nothing is read back from the tensors)
// ---------------------------------------------------------------------------------------------

function shapeText(t: tf.Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

function assertBatch(fn: string, named: Record<string, tf.Tensor>): void {
  const entries = Object.entries(named);
  const [firstName, first] = entries[0]!;
  for (const [name, t] of entries) {
    if (t.rank !== 1) throw new Error(`${fn}: ${name} must have rank 1 ([batch]), got shape ${shapeText(t)}`);
    if (t.shape[0] !== first.shape[0]) {
      throw new Error(`${fn}: ${name} has shape ${shapeText(t)} but ${firstName} has ${shapeText(first)}`);
    }
  }
  if (first.shape[0] === 0) throw new Error(`${fn}: the batch is empty`);
}

function assertFinite(fn: string, name: string, x: number, min: number, minInclusive: boolean): void {
  const ok = Number.isFinite(x) && (minInclusive ? x >= min : x > min);
  if (!ok) throw new Error(`${fn}: ${name} must be a finite number ${minInclusive ? '>=' : '>'} ${min}, got ${x}`);
}

// ---------------------------------------------------------------------------------------------
// Stage 2: least-squares loss
// ---------------------------------------------------------------------------------------------

/**
 * A*PO's stage-2 loss, all inputs [batch]:
 *
 *   L = mean_b ( beta2 * (logProb_b - refLogProb_b) - (reward_b - vStar_b) )^2
 *
 * logProb / refLogProb are SEQUENCE log-probs (sum over the response's tokens, as in the reference
 * code's compute_policy_loss). refLogProb, reward and vStar are constants (stopGradient); the
 * gradient reaches logProb only: dL/dlogProb_b = (2 / B) * beta2 * residual_b.
 * beta2 may be any finite number >= 0 (0 turns the loss into a constant: useful only in tests).
 */
export function apoLoss(logProb: Tensor1D, refLogProb: Tensor1D, reward: Tensor1D, vStarT: Tensor1D, beta2: number): Scalar {
  assertFinite('apoLoss', 'beta2', beta2, 0, true);
  assertBatch('apoLoss', { logProb, refLogProb, reward, vStar: vStarT });
  return tf.tidy(() => {
    const lp = tf.cast(logProb, 'float32');
    const ref = stopGradient(tf.cast(refLogProb, 'float32'));
    // The regression target r - V*: the optimal advantage A*(x, y) that beta2 * log(pi / pi_ref) should match.
    const target = stopGradient(tf.sub(tf.cast(reward, 'float32'), tf.cast(vStarT, 'float32')));
    const residual = tf.sub(tf.mul(beta2, tf.sub(lp, ref)), target);
    return tf.mean(tf.square(residual)) as Scalar;
  });
}

// ---------------------------------------------------------------------------------------------
// Policy-gradient variant
// ---------------------------------------------------------------------------------------------

export interface ApoPgInputs {
  /** Sequence log pi(y|x) under the current policy, [batch]. The only input that carries gradient. */
  logProb: Tensor1D;
  /** Sequence log pi_ref(y|x) under the frozen reference, [batch]. Constant. */
  refLogProb: Tensor1D;
  /** Number of response tokens (the policy's own tokens only), [batch]. Constant; values < 1 count as 1. */
  length: Tensor1D;
  /** r(x, y), [batch]. Constant. */
  reward: Tensor1D;
  /** V*(x) from stage 1, [batch]. Constant. */
  vStar: Tensor1D;
  /** KL strength inside the advantage (>= 0). */
  beta: number;
  /** lambda, the weight of the explicit KL(pi || pi_ref) penalty (>= 0). */
  klCoeff: number;
  /** Advantages are clamped to [-clip, clip] (> 0; Infinity disables clamping). */
  clip: number;
}

export interface ApoPgOutput {
  /** -mean(lp * A) + klCoeff * kl: what the optimizer minimises. */
  loss: Scalar;
  /** The clamped advantage, [batch], gradient-free (log it as actor/advantage/...). */
  advantage: Tensor1D;
  /** mean_b (lp_b - lpRef_b), per-token KL(pi || pi_ref) estimate; the same tensor the loss uses. */
  kl: Scalar;
}

/**
 * The policy-gradient form of A*PO (DESIGN.md), all inputs [batch]:
 *
 *   len_b   = max(length_b, 1)
 *   lp_b    = logProb_b / len_b,       lpRef_b = refLogProb_b / len_b
 *   A_b     = clamp( reward_b + beta * (lpRef_b - lp_b) - vStar_b, -clip, clip )
 *   kl      = mean_b (lp_b - lpRef_b)
 *   loss    = -mean_b (lp_b * A_b) + klCoeff * kl
 *
 * Choices, in order:
 * - Length normalisation: per-token log-probs, so long trajectories neither dominate the gradient
 *   nor pay a KL penalty proportional to their length. Lengths below 1 are raised to 1 so that an
 *   empty response gives 0 (its summed log-prob is 0) and never 0/0 = NaN.
 * - The advantage's KL term beta * log(pi_ref / pi) uses the same normalised log-probs, while r and
 *   V* stay on the reward scale (they are per-trajectory quantities, not sums over tokens).
 * - A is built from stopGradient'd inputs AND wrapped in stopGradient itself: it is a weight, as
 *   in REINFORCE, and d/dlogp of beta * (lpRef - lp) must not leak into the update.
 * - Clamping after the advantage is formed bounds each sample's weight (rewards, V* and the log
 *   ratio can all be large early in training); it is a hard clamp, so clamped samples still push.
 * - kl is the Monte-Carlo estimate E_{y~pi}[log pi - log pi_ref] on the sampled responses (the k1
  *   estimator: unbiased as a value, may be negative on a batch). Its gradient flows through lp
 *   only (pi_ref is frozen) and is the pathwise one, d kl / d lp_b = 1/B: it lowers the sampled
 *   responses' log-probs directly, as the usual "KL loss" term of PPO/GRPO-style trainers does
 *   (not the full score-function gradient of KL(pi || pi_ref)).
 * - Means over the batch (not sums), so beta/klCoeff/lr do not depend on the batch size.
 * Gradient: dloss/dlogProb_b = (klCoeff - A_b) / (B * len_b); zero for every other input.
 */
export function apoPgLoss(inputs: ApoPgInputs): ApoPgOutput {
  const { logProb, refLogProb, length, reward, vStar: vStarT, beta, klCoeff, clip } = inputs;
  assertFinite('apoPgLoss', 'beta', beta, 0, true);
  assertFinite('apoPgLoss', 'klCoeff', klCoeff, 0, true);
  if (Number.isNaN(clip) || clip <= 0) throw new Error(`apoPgLoss: clip must be > 0 (Infinity disables it), got ${clip}`);
  assertBatch('apoPgLoss', { logProb, refLogProb, length, reward, vStar: vStarT });
  return tf.tidy(() => {
    const len = stopGradient(tf.maximum(tf.cast(length, 'float32'), 1));
    const lp = tf.div(tf.cast(logProb, 'float32'), len);
    const lpRef = stopGradient(tf.div(tf.cast(refLogProb, 'float32'), len));
    const r = stopGradient(tf.cast(reward, 'float32'));
    const v = stopGradient(tf.cast(vStarT, 'float32'));
    // Advantage from a gradient-free copy of lp: A is a per-sample weight, never a path for gradient.
    const lpConst = stopGradient(lp);
    const raw = tf.sub(tf.add(r, tf.mul(beta, tf.sub(lpRef, lpConst))), v);
    const clamped = Number.isFinite(clip) ? tf.clipByValue(raw, -clip, clip) : raw;
    const advantage = stopGradient(clamped as Tensor1D);
    const pg = tf.neg(tf.mean(tf.mul(lp, advantage)));
    const kl = tf.mean(tf.sub(lp, lpRef)) as Scalar;
    const loss = tf.add(pg, tf.mul(klCoeff, kl)) as Scalar;
    return { loss, advantage, kl };
  });
}
