/**
 * The on-policy baselines' losses as pure tfjs functions over token grids [B, U] (row = one turn's
 * utterance, column = its token u; `mask` 1 on real tokens). Advantages, old log-probs and value
 * targets are constants (stopGradient applied here too).
 *
 *   PPO / GRPO clipped surrogate (per token, averaged over the real tokens of the batch):
 *     ratio = exp(logp - logp_old)
 *     L_clip = -mean( min(ratio A, clip(ratio, 1 - eps, 1 + eps) A) )
 *   value head:      L_v  = mean (V - R)^2           (R = lambda-return)
 *   filtered BC:     L_bc = -mean log pi(token)      (over the kept trajectories' tokens)
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../archer/losses';

function sameShape(fn: string, named: Record<string, tf.Tensor>): void {
  const entries = Object.entries(named);
  const [firstName, first] = entries[0]!;
  if (first.rank !== 2) throw new Error(`${fn}: ${firstName} must be [turns, tokens], got [${first.shape.join(', ')}]`);
  for (const [name, t] of entries) {
    if (!tf.util.arraysEqual(t.shape, first.shape)) throw new Error(`${fn}: ${name} has shape [${t.shape.join(', ')}] but ${firstName} has [${first.shape.join(', ')}]`);
  }
}

/** sum(x * mask) / max(1, sum(mask)). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

export interface ClipLossOut {
  loss: tf.Scalar;
  /** Share of real tokens whose ratio was clipped (the objective took the clipped branch). */
  clipFraction: tf.Scalar;
  /** mean(logp_old - logp): the usual estimate of KL(old || new). */
  approxKl: tf.Scalar;
}

export function ppoClipLoss(logp: tf.Tensor2D, oldLogp: tf.Tensor2D, advantage: tf.Tensor2D, mask: tf.Tensor2D, clipRatio: number): ClipLossOut {
  if (!(clipRatio > 0 && clipRatio < 1)) throw new Error(`ppoClipLoss: the clip ratio must be in (0, 1), got ${clipRatio}`);
  sameShape('ppoClipLoss', { logp, oldLogp, advantage, mask });
  return tf.tidy(() => {
    const old = stopGradient(oldLogp);
    const adv = stopGradient(advantage);
    const ratio = tf.exp(tf.sub(logp, old));
    const unclipped = tf.mul(ratio, adv);
    const clipped = tf.mul(tf.clipByValue(ratio, 1 - clipRatio, 1 + clipRatio), adv);
    const loss = tf.neg(maskedMean(tf.minimum(unclipped, clipped), mask)) as tf.Scalar;
    const tookClipped = tf.cast(tf.less(clipped, unclipped), 'float32');
    return {
      loss,
      clipFraction: maskedMean(tookClipped, mask),
      approxKl: maskedMean(tf.sub(old, logp), mask),
    };
  }) as unknown as ClipLossOut;
}

/** mean over real tokens of (V - R)^2. */
export function valueLoss(values: tf.Tensor2D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  sameShape('valueLoss', { values, targets, mask });
  return tf.tidy(() => maskedMean(tf.square(tf.sub(values, stopGradient(targets))), mask));
}

/** -mean log pi over real tokens (behaviour cloning of the kept trajectories). */
export function bcLoss(logp: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  sameShape('bcLoss', { logp, mask });
  return tf.tidy(() => tf.neg(maskedMean(logp, mask)) as tf.Scalar);
}
