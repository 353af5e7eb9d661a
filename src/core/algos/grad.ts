/** Gradient utilities shared by the trainers. */
import * as tf from '@tensorflow/tfjs';

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm` (0 = no clipping).
 * Returns new tensors (the inputs are disposed) and the norm before clipping.
 */
export async function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): Promise<{ grads: tf.NamedTensorMap; norm: number }> {
  const names = Object.keys(grads);
  const normT = tf.tidy(() => tf.sqrt(tf.sum(tf.stack(names.map((n) => tf.sum(tf.square(grads[n] as tf.Tensor)))))));
  const norm = (await normT.data())[0] as number;
  normT.dispose();
  if (!(maxNorm > 0) || norm <= maxNorm || !Number.isFinite(norm)) return { grads, norm };
  const scale = maxNorm / norm;
  const out: tf.NamedTensorMap = {};
  for (const n of names) {
    out[n] = tf.mul(grads[n] as tf.Tensor, scale);
    (grads[n] as tf.Tensor).dispose();
  }
  return { grads: out, norm };
}

/** computeGradients + clip + apply, disposing everything it made. Returns the loss and the norm. */
export async function clippedStep(optimizer: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[], maxNorm: number): Promise<{ loss: number; gradNorm: number }> {
  const { value, grads } = optimizer.computeGradients(loss, vars);
  const clipped = await clipByGlobalNorm(grads, maxNorm);
  optimizer.applyGradients(clipped.grads);
  const lossValue = (await value.data())[0] as number;
  tf.dispose([value, ...Object.values(clipped.grads)]);
  return { loss: lossValue, gradNorm: clipped.norm };
}

/** A model's variables in name order (what the optimisers and their saved states rely on). */
export function sortedVariables(params: Record<string, tf.Tensor>): tf.Variable[] {
  return Object.keys(params)
    .sort()
    .map((k) => params[k] as tf.Variable);
}

/** tfjs's Adam reads its (protected) learning rate at every step, so a new value takes effect at the next one. */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number };
  if (typeof o.learningRate !== 'number') throw new Error(`${opt.getClassName()} has no learning rate to set`);
  o.learningRate = lr;
}
