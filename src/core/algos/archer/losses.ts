/**
 * ArCHer's losses as pure tfjs functions (Zhou et al. 2024, "ArCHer: Training Language Model
 * Agents via Hierarchical Multi-Turn RL"; reference code YifeiZhou02/ArCHer).
 *
 * Pure: no variables, no optimizers, no reads back to JS; tensors in, new tensors out. The trainer
 * calls them inside `optimizer.minimize(() => ...)`, which disposes every intermediate.
 *
 * Utterance-level critic (shared encoder, heads Q1, Q2 on [enc(s); enc(a)] and V1, V2 on enc(s),
 * plus a Polyak-averaged target copy Qbar/Vbar of the whole critic):
 *
 *   Q_i(s, a) -> r + gamma (1 - done) Vbar_i(s')       (Q1 pairs with Vbar1, Q2 with Vbar2; no min)
 *   V_i(s)    -> Qbar_i(s, a_pi),  a_pi ~ pi(.|s) freshly sampled
 *   L_critic  = sum over {Q1, Q2, V1, V2} of mean_batch (pred - target)^2
 *
 * Actor (utterance level), advantage from the ONLINE critic:
 *
 *   A(s, a_pi) = min(Q1, Q2)(s, a_pi) - min(V1, V2)(s)
 *   L_pg       = -mean_batch( sum_t log pi(a_t | s, a_<t) * A )
 *
 * plus, as an option of this lab (archer.kl_coeff, 0 in the paper), kl_coeff * KL(pi || pi_ref) of
 * the sampled utterances, which anchors the actor to the policy it started from.
 *
 * Targets and advantages carry no gradient. tfjs has no public stopGradient, so this module
 * defines one (`stopGradient`, via tf.customGrad) and applies it to every target and advantage it
 * receives: even if a caller builds the targets inside the gradient function (from the online
 * critic by mistake, or from variables of the target critic), no gradient reaches them. Building
 * the targets outside the gradient function (as constants) is still the cheaper way.
 */
import * as tf from '@tensorflow/tfjs';

type Tensor1D = tf.Tensor1D;
type Tensor2D = tf.Tensor2D;
type Scalar = tf.Scalar;

const identityNoGrad = tf.customGrad((x) => {
  const input = x as tf.Tensor;
  return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** Identity in the forward pass, zero gradient in the backward pass (TensorFlow's stop_gradient). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityNoGrad(x) as T;
}

function shapeText(t: tf.Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

function assertRank(fn: string, name: string, t: tf.Tensor, rank: number): void {
  if (t.rank !== rank) throw new Error(`${fn}: ${name} must have rank ${rank}, got shape ${shapeText(t)}`);
}

function assertSameShape(fn: string, named: Record<string, tf.Tensor>): void {
  const entries = Object.entries(named);
  const [firstName, first] = entries[0]!;
  for (const [name, t] of entries) {
    if (!tf.util.arraysEqual(t.shape, first.shape)) {
      throw new Error(`${fn}: ${name} has shape ${shapeText(t)} but ${firstName} has ${shapeText(first)}`);
    }
  }
}

function assertUnit(fn: string, name: string, x: number): void {
  if (!Number.isFinite(x) || x < 0 || x > 1) throw new Error(`${fn}: ${name} must lie in [0, 1], got ${x}`);
}

export interface Pair<T extends tf.Tensor = Tensor1D> {
  t1: T;
  t2: T;
}

/**
 * Q targets, one per head: t_i = r + gamma * (1 - done) * Vbar_i(s'). `done` is 1/0 (or bool);
 * a terminal transition gets just r. All inputs [batch]; outputs carry no gradient.
 */
export function qTargets(reward: Tensor1D, done: Tensor1D, vbar1Next: Tensor1D, vbar2Next: Tensor1D, gamma: number): Pair {
  assertUnit('qTargets', 'gamma', gamma);
  assertRank('qTargets', 'reward', reward, 1);
  assertSameShape('qTargets', { reward, done, vbar1Next, vbar2Next });
  return tf.tidy(() => {
    const notDone = tf.sub(1, tf.cast(done, 'float32'));
    const r = tf.cast(reward, 'float32');
    const target = (vbar: Tensor1D): Tensor1D => stopGradient(tf.add(r, tf.mul(tf.mul(gamma, notDone), vbar)) as Tensor1D);
    return { t1: target(vbar1Next), t2: target(vbar2Next) };
  });
}

/** V targets, one per head: t_i = Qbar_i(s, a_pi), a_pi freshly sampled from the actor. Identity, gradient-free copies. */
export function vTargets(qbar1Pi: Tensor1D, qbar2Pi: Tensor1D): Pair {
  assertRank('vTargets', 'qbar1Pi', qbar1Pi, 1);
  assertSameShape('vTargets', { qbar1Pi, qbar2Pi });
  return { t1: stopGradient(qbar1Pi), t2: stopGradient(qbar2Pi) };
}

export interface CriticPredictions {
  q1: Tensor1D;
  q2: Tensor1D;
  v1: Tensor1D;
  v2: Tensor1D;
}

export interface CriticTargets {
  qt1: Tensor1D;
  qt2: Tensor1D;
  vt1: Tensor1D;
  vt2: Tensor1D;
}

export interface CriticLosses {
  total: Scalar;
  q1: Scalar;
  q2: Scalar;
  v1: Scalar;
  v2: Scalar;
}

/**
 * Mean squared error over the batch for each head, and their sum:
 *   q_i = mean (Q_i - qt_i)^2,  v_i = mean (V_i - vt_i)^2,  total = q1 + q2 + v1 + v2.
 * d total / d Q_i = 2 (Q_i - qt_i) / n. Targets are treated as constants (wrapped in stopGradient).
 * Inside optimizer.minimize return `.total`; tf.keep the components first if you want to log them.
 */
export function criticLoss(pred: CriticPredictions, targets: CriticTargets): CriticLosses {
  assertRank('criticLoss', 'q1', pred.q1, 1);
  assertSameShape('criticLoss', { ...pred, ...targets });
  return tf.tidy(() => {
    const mse = (p: Tensor1D, t: Tensor1D): Scalar => tf.mean(tf.square(tf.sub(p, stopGradient(t))));
    const q1 = mse(pred.q1, targets.qt1);
    const q2 = mse(pred.q2, targets.qt2);
    const v1 = mse(pred.v1, targets.vt1);
    const v2 = mse(pred.v2, targets.vt2);
    const total = tf.addN([q1, q2, v1, v2]) as Scalar;
    return { total, q1, q2, v1, v2 };
  });
}

/** A(s, a_pi) = min(Q1, Q2)(s, a_pi) - min(V1, V2)(s), from the online critic; no gradient. */
export function utteranceAdvantage(q1Pi: Tensor1D, q2Pi: Tensor1D, v1: Tensor1D, v2: Tensor1D): Tensor1D {
  assertRank('utteranceAdvantage', 'q1Pi', q1Pi, 1);
  assertSameShape('utteranceAdvantage', { q1Pi, q2Pi, v1, v2 });
  return tf.tidy(() => stopGradient(tf.sub(tf.minimum(q1Pi, q2Pi), tf.minimum(v1, v2)) as Tensor1D));
}

/**
 * A leave-one-out advantage from Q alone (this lab's archer.loo_samples, not the paper's): K
 * utterances sampled at each state, rows grouped state by state ([s0 a1, s0 a2, ..., s0 aK, s1 a1,
 * ...]); A_k = min(Q1,Q2)(s, a_k) - mean_{j != k} min(Q1,Q2)(s, a_j). The baseline is the same
 * expectation V(s) = E_{a~pi} Q(s, a) that ArCHer's V heads learn, estimated from the online Q at
 * this step, so a V that lags or drifts from Q adds no common offset to every sampled utterance.
 * No gradient.
 */
export function leaveOneOutAdvantage(q1Pi: Tensor1D, q2Pi: Tensor1D, k: number): Tensor1D {
  assertRank('leaveOneOutAdvantage', 'q1Pi', q1Pi, 1);
  assertSameShape('leaveOneOutAdvantage', { q1Pi, q2Pi });
  if (!Number.isInteger(k) || k < 2) throw new Error(`leaveOneOutAdvantage: k must be an integer >= 2, got ${k}`);
  const n = q1Pi.shape[0];
  if (n % k !== 0) throw new Error(`leaveOneOutAdvantage: ${n} rows are not whole groups of ${k}`);
  return tf.tidy(() => {
    const q = tf.reshape(tf.minimum(q1Pi, q2Pi), [n / k, k]);
    const others = tf.div(tf.sub(tf.sum(q, 1, true), q), k - 1);
    return stopGradient(tf.reshape(tf.sub(q, others), [n]) as Tensor1D);
  });
}

/**
 * Utterance-level policy-gradient loss: -mean_batch( sumLogProbs * A ), where sumLogProbs[b] is
 * sum_t log pi(a_t | s, a_<t) over the utterance's tokens. The advantage is a constant.
 */
export function pgLoss(sumLogProbs: Tensor1D, advantage: Tensor1D): Scalar {
  assertRank('pgLoss', 'sumLogProbs', sumLogProbs, 1);
  assertSameShape('pgLoss', { sumLogProbs, advantage });
  return tf.tidy(() => tf.neg(tf.mean(tf.mul(sumLogProbs, stopGradient(advantage)))) as Scalar);
}

/** sum_t mask[b, t] * x[b, t] -> [batch]; e.g. an utterance's log-probability from per-token ones. */
export function maskedSum(x: Tensor2D, mask: Tensor2D): Tensor1D {
  assertRank('maskedSum', 'x', x, 2);
  assertSameShape('maskedSum', { x, mask });
  return tf.tidy(() => tf.sum(tf.mul(x, tf.cast(mask, 'float32')), 1));
}

/**
 * Per-token log pi(token | prefix) from logits [batch, T, vocab] and token ids [batch, T]:
 * logSoftmax over the vocabulary, gathered at the token. Differentiable in the logits.
 */
export function tokenLogProbsFromLogits(logits: tf.Tensor3D, tokens: Tensor2D): Tensor2D {
  assertRank('tokenLogProbsFromLogits', 'logits', logits, 3);
  assertRank('tokenLogProbsFromLogits', 'tokens', tokens, 2);
  const [b, t, vocab] = logits.shape;
  if (tokens.shape[0] !== b || tokens.shape[1] !== t) {
    throw new Error(`tokenLogProbsFromLogits: tokens ${shapeText(tokens)} do not match logits ${shapeText(logits)}`);
  }
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(tokens, 'int32'), vocab);
    return tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 2) as Tensor2D;
  });
}

/**
 * Per-token advantages for the token-level variant (the paper's hierarchy with a token-level
 * baseline; the reference code never finished this part).
 *
 * Inside one utterance a = (a_1 .. a_L) the low level is an MDP over prefixes h_t = (s, a_<t),
 * with reward 0 on every token and, once the utterance is complete, the utterance-level advantage
 * A_utt = A(s, a) from the high-level critic as its terminal reward (discount 1). A token-level
 * baseline b_t = b(s, a_<t) estimates E[A_utt | h_t]. With the TD residuals
 *
 *   delta_t = b_{t+1} - b_t   (t < L),      delta_L = A_utt - b_L      (i.e. b_{L+1} := A_utt)
 *
 * the token advantage is the lambda-return form (GAE with gamma = 1 inside the utterance):
 *
 *   A_t = sum_{k=t}^{L} lambda^(k-t) delta_k
 *
 *   lambda = 1:  A_t = A_utt - b_t          (telescopes: REINFORCE with a per-token baseline;
 *                                            unbiased for ANY b, since b_t does not depend on a_t)
 *   lambda = 0:  A_t = b_{t+1} - b_t        (the residual / pure token-level TD form; lower
 *                                            variance, biased unless b is exact)
 *   b = 0, lambda = 1:  A_t = A_utt for every token, i.e. exactly the utterance-level pgLoss.
 *
 * Shapes: mask, baselines [batch, T]; advantage [batch]. Each mask row must be one contiguous run
 * of 1s (right or left padding); the token after a row's last valid token is the utterance end.
 * Returns [batch, T], zero at masked positions, with no gradient (baselines are trained separately,
 * e.g. with tokenBaselineLoss).
 */
export function tokenAdvantages(mask: Tensor2D, advantage: Tensor1D, baselines: Tensor2D, lambda = 1): Tensor2D {
  assertUnit('tokenAdvantages', 'lambda', lambda);
  assertRank('tokenAdvantages', 'mask', mask, 2);
  assertSameShape('tokenAdvantages', { mask, baselines });
  assertRank('tokenAdvantages', 'advantage', advantage, 1);
  const [batch, T] = mask.shape;
  if (advantage.shape[0] !== batch) {
    throw new Error(`tokenAdvantages: advantage ${shapeText(advantage)} does not match batch ${batch} of mask ${shapeText(mask)}`);
  }
  return tf.tidy(() => {
    const m = tf.cast(mask, 'float32');
    const b = stopGradient(tf.cast(baselines, 'float32'));
    const aUtt = tf.reshape(stopGradient(tf.cast(advantage, 'float32')), [batch, 1]);
    const zeros = tf.zeros([batch, 1]);
    const mNext = tf.concat([tf.slice(m, [0, 1], [batch, T - 1]), zeros], 1);
    const bNext = tf.concat([tf.slice(b, [0, 1], [batch, T - 1]), zeros], 1);
    // Value after token t: b_{t+1} while the utterance goes on, A_utt once it has ended.
    const after = tf.add(tf.mul(mNext, bNext), tf.mul(tf.sub(1, mNext), aUtt));
    const delta = tf.mul(m, tf.sub(after, b));
    // A[b, t] = sum_k delta[b, k] * W[k, t], W[k, t] = lambda^(k - t) for k >= t, else 0.
    const w: number[][] = [];
    for (let k = 0; k < T; k++) w.push(Array.from({ length: T }, (_, t) => (k >= t ? Math.pow(lambda, k - t) : 0)));
    const adv = tf.mul(tf.matMul(delta, tf.tensor2d(w, [T, T])), m);
    return stopGradient(adv as Tensor2D);
  });
}

export interface TokenLevelPgInputs {
  /** log pi(a_t | s, a_<t), [batch, T]. */
  logProbs: Tensor2D;
  /** 1 for the utterance's tokens, 0 for padding, [batch, T]; one contiguous run per row. */
  mask: Tensor2D;
  /** Utterance-level advantage A(s, a), [batch]. */
  advantage: Tensor1D;
  /** Token-level baseline b(s, a_<t), [batch, T]. */
  baselines: Tensor2D;
  /** Mixing between Monte Carlo (1, default) and one-step residual (0) token advantages. */
  lambda?: number;
}

/**
 * Token-level policy-gradient loss: -mean_batch( sum_t mask_t * log pi(a_t | s, a_<t) * A_t ) with
 * A_t from tokenAdvantages (see there for the formula). With zero baselines and lambda = 1 it
 * equals pgLoss(maskedSum(logProbs, mask), advantage).
 */
export function tokenLevelPgLoss(inputs: TokenLevelPgInputs): Scalar {
  const { logProbs, mask, advantage, baselines, lambda = 1 } = inputs;
  assertRank('tokenLevelPgLoss', 'logProbs', logProbs, 2);
  assertSameShape('tokenLevelPgLoss', { logProbs, mask, baselines });
  return tf.tidy(() => {
    const adv = tokenAdvantages(mask, advantage, baselines, lambda);
    const perUtterance = tf.sum(tf.mul(tf.mul(logProbs, tf.cast(mask, 'float32')), adv), 1);
    return tf.neg(tf.mean(perUtterance)) as Scalar;
  });
}

/**
 * Regression loss for the token-level baseline: b(s, a_<t) -> A_utt (its Monte Carlo target),
 * averaged over the valid tokens: sum(mask * (b - A_utt)^2) / max(sum(mask), 1). The target is a
 * constant; the gradient flows into the baselines only.
 */
export function tokenBaselineLoss(baselines: Tensor2D, mask: Tensor2D, advantage: Tensor1D): Scalar {
  assertRank('tokenBaselineLoss', 'baselines', baselines, 2);
  assertSameShape('tokenBaselineLoss', { baselines, mask });
  assertRank('tokenBaselineLoss', 'advantage', advantage, 1);
  if (advantage.shape[0] !== baselines.shape[0]) {
    throw new Error(`tokenBaselineLoss: advantage ${shapeText(advantage)} does not match baselines ${shapeText(baselines)}`);
  }
  return tf.tidy(() => {
    const m = tf.cast(mask, 'float32');
    const target = tf.reshape(stopGradient(advantage), [advantage.shape[0], 1]);
    const se = tf.mul(m, tf.square(tf.sub(baselines, target)));
    return tf.div(tf.sum(se), tf.maximum(tf.sum(m), 1)) as Scalar;
  });
}

/**
 * Mean entropy of the token distributions, for an entropy bonus (loss = pg - beta * entropy):
 * H = -sum_v p_v log p_v with p = softmax(logits) over the last axis, averaged over positions
 * where mask = 1: sum(mask * H) / max(sum(mask), 1). logits [..., vocab], mask = logits' shape
 * without the last axis. Differentiable in the logits.
 */
export function entropyFromLogits(logits: tf.Tensor, mask: tf.Tensor): Scalar {
  const lead = logits.shape.slice(0, -1);
  if (logits.rank < 1 || !tf.util.arraysEqual(mask.shape, lead)) {
    throw new Error(`entropyFromLogits: mask ${shapeText(mask)} must have the logits' shape ${shapeText(logits)} without the last axis`);
  }
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const h = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1));
    const m = tf.cast(mask, 'float32');
    return tf.div(tf.sum(tf.mul(h, m)), tf.maximum(tf.sum(m), 1)) as Scalar;
  });
}

/**
 * KL(pi || pi_ref) of the sampled utterances, for an anchor to the reference policy
 * (loss = pg + kl_coeff * KL): at every utterance position, the exact KL between the two token
 * distributions, sum_v p_v (log p_v - log q_v) with p = softmax(logits), q = softmax(refLogits);
 * summed over the positions where mask = 1 (an utterance's KL, as log-probs sum over its tokens)
 * and averaged over the batch. logits and refLogits [B, U, vocab], mask [B, U]. The reference's
 * logits carry no gradient; the actor's do.
 */
export function klFromLogits(logits: tf.Tensor3D, refLogits: tf.Tensor3D, mask: Tensor2D): Scalar {
  assertSameShape('klFromLogits', { logits, refLogits });
  if (!tf.util.arraysEqual(mask.shape, logits.shape.slice(0, 2))) {
    throw new Error(`klFromLogits: mask ${shapeText(mask)} must have the logits' shape ${shapeText(logits)} without the last axis`);
  }
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const logq = tf.logSoftmax(stopGradient(refLogits));
    const perToken = tf.sum(tf.mul(tf.exp(logp), tf.sub(logp, logq)), -1);
    const perUtterance = tf.sum(tf.mul(perToken, tf.cast(mask, 'float32')), -1);
    return tf.mean(perUtterance) as Scalar;
  });
}

/**
 * Polyak averaging of the target critic after every critic step:
 *   target <- (1 - tau) * target + tau * online,  tau in [0, 1]  (0: unchanged, 1: hard copy).
 * Lists must pair up one to one with equal shapes and dtypes. The only function here with an
 * effect: it assigns the target variables (inside tf.tidy, so nothing leaks).
 */
export function polyakUpdate(target: tf.Variable[], online: tf.Variable[], tau: number): void {
  assertUnit('polyakUpdate', 'tau', tau);
  if (target.length !== online.length) {
    throw new Error(`polyakUpdate: ${target.length} target variables but ${online.length} online ones`);
  }
  target.forEach((t, i) => {
    const o = online[i]!;
    if (!tf.util.arraysEqual(t.shape, o.shape) || t.dtype !== o.dtype) {
      throw new Error(`polyakUpdate: variable ${i} (${t.name}) is ${t.dtype}${shapeText(t)} but online ${o.name} is ${o.dtype}${shapeText(o)}`);
    }
  });
  if (tau === 0) return;
  tf.tidy(() => {
    target.forEach((t, i) => {
      const o = online[i]!;
      t.assign(tau === 1 ? tf.clone(o) : tf.add(tf.mul(t, 1 - tau), tf.mul(o, tau)));
    });
  });
}
