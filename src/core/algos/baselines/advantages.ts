/**
 * Advantage estimators of the on-policy baselines, as pure functions over plain arrays (one
 * trajectory at a time; `turns[t][u]` = token u of the agent's utterance at turn t).
 *
 *   gae     token-level GAE with a value head: every utterance token is a step of the token MDP;
 *           the turn's reward arrives after its last token; discount `gamma` at a turn boundary,
 *           1 inside an utterance (the words of one utterance are one decision of the agent);
 *           lambda per token. Value targets are the lambda-returns A + V.
 *   archer  ArCHer's hierarchy inside the on-policy trainer (RAGEN's `adv_estimator: archer`):
 *           the turn-level return G_t = sum_k high_level_gamma^k r_{t+k} minus the value at the
 *           turn's first token is the turn's (high-level) advantage; it is mixed into the
 *           token-level GAE estimate with weight alpha: A = (1 - alpha) A_gae + alpha (G_t - V_t,0).
 *   bi_level_gae  RAGEN's `compute_bi_level_gae_advantage_return` (main, ragen/trainer/core_algos.py;
 *           there `algorithm.bi_level_gae: True` with `adv_estimator: gae`): a turn-level GAE over the
 *           values at each turn's last token with high_level_gamma, then inside each turn a token-level
 *           GAE toward that turn's return (see biLevelGae).
 *   grpo    every token of a trajectory gets (R - mean of its group) / (std of its group + eps),
 *           a group being the trajectories played from one start.
 * The episode ends the sum (finite horizon: a truncated Twenty Questions game is over).
 */

/** Per-token arrays of one trajectory: rows are turns, columns the utterance's tokens. */
export type TokenGrid = number[][];

export interface GaeResult {
  advantages: TokenGrid;
  /** lambda-returns (value targets): advantage + value. */
  returns: TokenGrid;
}

function checkGrid(values: TokenGrid, rewards: readonly number[]): void {
  if (values.length !== rewards.length) throw new Error(`gae: ${values.length} turns of values but ${rewards.length} rewards`);
  values.forEach((row, t) => {
    if (row.length === 0) throw new Error(`gae: turn ${t} has no tokens`);
  });
}

/** Token-level GAE of one trajectory (see the file's comment). */
export function gaeAdvantages(values: TokenGrid, rewards: readonly number[], gamma: number, lam: number): GaeResult {
  checkGrid(values, rewards);
  const advantages: TokenGrid = values.map((row) => row.map(() => 0));
  const returns: TokenGrid = values.map((row) => row.map(() => 0));
  let nextValue = 0;
  let nextAdv = 0;
  for (let t = values.length - 1; t >= 0; t--) {
    const row = values[t]!;
    for (let u = row.length - 1; u >= 0; u--) {
      const last = u === row.length - 1;
      const discount = last ? gamma : 1;
      const reward = last ? rewards[t]! : 0;
      const delta = reward + discount * nextValue - row[u]!;
      const adv = delta + discount * lam * nextAdv;
      advantages[t]![u] = adv;
      returns[t]![u] = adv + row[u]!;
      nextValue = row[u]!;
      nextAdv = adv;
    }
  }
  return { advantages, returns };
}

/** G_t = sum_k gamma^k r_{t+k} for every turn t. */
export function discountedReturns(rewards: readonly number[], gamma: number): number[] {
  const out = new Array<number>(rewards.length).fill(0);
  let g = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    g = rewards[t]! + gamma * g;
    out[t] = g;
  }
  return out;
}

/**
 * The archer estimator: token-level GAE mixed with the turn-level advantage G_t - V(s_t), where
 * V(s_t) is the value at the turn's first token and G_t is discounted by highLevelGamma.
 */
export function archerAdvantages(values: TokenGrid, rewards: readonly number[], gamma: number, lam: number, highLevelGamma: number, alpha: number): GaeResult & { turnAdvantages: number[] } {
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`archer advantages: alpha must be in [0, 1], got ${alpha}`);
  const gae = gaeAdvantages(values, rewards, gamma, lam);
  const g = discountedReturns(rewards, highLevelGamma);
  const turnAdvantages = values.map((row, t) => g[t]! - row[0]!);
  const advantages = gae.advantages.map((row, t) => row.map((a) => (1 - alpha) * a + alpha * turnAdvantages[t]!));
  return { advantages, returns: gae.returns, turnAdvantages };
}

/**
 * RAGEN's bi-level GAE for one trajectory (`values[t][u]`: the value at token u of turn t; the
 * turn's reward sits on its last token, the end of the utterance):
 *   1. turn level, backwards: delta_t = r_t + highLevelGamma V(eos_{t+1}) - V(eos_t) (0 after the
 *      last turn), A_t = delta_t + highLevelGamma lam A_{t+1};
 *   2. the reward at each turn's end becomes that turn's return A_t + V(eos_t);
 *   3. token level, backwards inside each turn: GAE with tokenGamma and lam, the next value 0 at
 *      the turn's end, so the last token's advantage is A_t and the others bootstrap toward it.
 * Returns the advantages before whitening (the trainer whitens every PPO batch, as RAGEN does)
 * and the value targets A + V. One difference from RAGEN's code: it finds a turn's end by its
 * reward being non-zero (a turn that earns exactly 0 is not an end there, and a last such turn
 * would index past the sequence); here every turn ends at its own last token.
 * RAGEN's defaults: tokenGamma 1, lam 1, highLevelGamma 0.95.
 */
export function biLevelGae(values: TokenGrid, rewards: readonly number[], tokenGamma: number, lam: number, highLevelGamma: number): GaeResult & { turnAdvantages: number[] } {
  checkGrid(values, rewards);
  const T = values.length;
  const eos = values.map((row) => row[row.length - 1]!);
  const turnAdvantages = new Array<number>(T).fill(0);
  let next = 0;
  for (let t = T - 1; t >= 0; t--) {
    const nextValue = t < T - 1 ? eos[t + 1]! : 0;
    const delta = rewards[t]! + highLevelGamma * nextValue - eos[t]!;
    next = delta + highLevelGamma * lam * next;
    turnAdvantages[t] = next;
  }
  const advantages: TokenGrid = values.map((row) => row.map(() => 0));
  const returns: TokenGrid = values.map((row) => row.map(() => 0));
  values.forEach((row, t) => {
    const turnReturn = turnAdvantages[t]! + eos[t]!;
    let adv = 0;
    for (let u = row.length - 1; u >= 0; u--) {
      const last = u === row.length - 1;
      const delta = last ? turnReturn - row[u]! : tokenGamma * row[u + 1]! - row[u]!;
      adv = last ? delta : delta + tokenGamma * lam * adv;
      advantages[t]![u] = adv;
      returns[t]![u] = adv + row[u]!;
    }
  });
  return { advantages, returns, turnAdvantages };
}

/** GRPO: (r - group mean) / (group std + eps), std the population one; groups by key. */
export function groupNormalised(returns: readonly number[], groups: readonly (number | string)[], eps = 1e-6): number[] {
  if (returns.length !== groups.length) throw new Error(`grpo: ${returns.length} returns but ${groups.length} group keys`);
  const byGroup = new Map<number | string, number[]>();
  returns.forEach((r, i) => {
    const list = byGroup.get(groups[i]!) ?? [];
    list.push(r);
    byGroup.set(groups[i]!, list);
  });
  const moments = new Map<number | string, { mean: number; std: number }>();
  for (const [k, list] of byGroup) {
    const mean = list.reduce((a, b) => a + b, 0) / list.length;
    const std = Math.sqrt(list.reduce((a, b) => a + (b - mean) ** 2, 0) / list.length);
    moments.set(k, { mean, std });
  }
  return returns.map((r, i) => {
    const m = moments.get(groups[i]!)!;
    return (r - m.mean) / (m.std + eps);
  });
}

/** A whitened copy of a flat list: (x - mean) / (std + eps) with the population std; one element gives 0. */
export function whiten(xs: readonly number[], eps = 1e-8): number[] {
  if (xs.length === 0) return [];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return xs.map((x) => (x - mean) / (std + eps));
}

/**
 * Online filtered BC's selection: the top `fraction` (at least one) of everything seen so far,
 * ranked by return; among equal returns the later ones (the fresher policy) come first.
 * Returns the kept items and the lowest kept return.
 */
export function topFraction<T>(items: readonly T[], returnOf: (t: T) => number, fraction: number): { kept: T[]; threshold: number } {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`filtered BC: the kept fraction must be in (0, 1], got ${fraction}`);
  if (items.length === 0) return { kept: [], threshold: Number.NaN };
  const k = Math.max(1, Math.ceil(fraction * items.length));
  const order = items.map((it, i) => ({ it, i, r: returnOf(it) })).sort((a, b) => b.r - a.r || b.i - a.i);
  const kept = order.slice(0, k);
  return { kept: kept.map((o) => o.it), threshold: kept[kept.length - 1]!.r };
}
