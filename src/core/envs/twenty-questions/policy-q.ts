/**
 * A policy's own action values at a Twenty Questions state, by Monte Carlo:
 *   Q^pi(s, u) = E[ r(u) + gamma * G' ],
 * the hidden object uniform over the objects still possible at s (as expertQValues assumes), G'
 * the discounted return of playing `policy` from the state after u to the end of the game. This is
 * what a critic trained on the policy's own games can at best learn, so its ranking of the
 * candidate questions against information gain is the rank instrument's ceiling for that policy
 * (expertQValues gives it for the expert). Rollouts come in pairs on the same hidden object: the
 * even and the odd ones are two independent halves, and how well the two halves' estimates agree
 * says how much of the ranking is sampling noise.
 */
import type { BatchPolicy } from '../../rollout/collect';
import { collectEpisodes } from '../../rollout/collect';
import type { ResetResult, StepResult, TextEnv } from '../types';
import type { KnowledgeBase } from './kb';
import { TwentyQuestionsEnv, grammarFor, parseHistory, type TwentyQuestionsInfo } from './env';
import { beliefFrom } from './policies';
import { returnsToGo } from '../../metrics/critic-quality';

/** A Twenty Questions game whose reset replays a fixed start (a hidden object and questions already asked). */
class ReplayedStart implements TextEnv<TwentyQuestionsInfo> {
  readonly name = 'twenty-questions';
  private readonly env: TwentyQuestionsEnv;
  constructor(kb: KnowledgeBase, maxTurns: number, private readonly object: number, private readonly prefix: readonly string[]) {
    this.env = new TwentyQuestionsEnv({ kb, maxTurns });
  }
  reset(): ResetResult<TwentyQuestionsInfo> {
    let r: ResetResult<TwentyQuestionsInfo> = this.env.resetTo(this.object);
    for (const q of this.prefix) {
      const s = this.env.step(q);
      if (s.terminated || s.truncated) throw new Error(`policy Q: the start "${q}" already ends the game`);
      r = { obs: s.obs, info: s.info };
    }
    return r;
  }
  step(action: string): StepResult<TwentyQuestionsInfo> {
    return this.env.step(action);
  }
}

export interface PolicyQ {
  /** Q^pi(s, u) per utterance: the mean over all rollouts. */
  q: number[];
  /** The same from the even-numbered and from the odd-numbered rollouts (two independent halves). */
  halves: [number[], number[]];
  /** Std of the single-rollout returns around each utterance's mean, pooled (the noise of one sample). */
  noiseStd: number;
  /** Games played. */
  games: number;
}

/**
 * Q^pi(obs, u) for every utterance with `rollouts` games each (an even number, at least 2), played
 * in batches of `batch` games. The hidden object of rollout k is the (k >> 1)-th possible object,
 * cycling, so both halves see the same objects.
 */
export async function policyQValues(
  kb: KnowledgeBase,
  obs: string,
  utterances: readonly string[],
  policy: BatchPolicy,
  opts: { rollouts: number; gamma: number; maxTurns?: number; batch?: number },
): Promise<PolicyQ> {
  const { rollouts, gamma, maxTurns = 20, batch = 64 } = opts;
  if (!Number.isInteger(rollouts) || rollouts < 2 || rollouts % 2 !== 0) throw new Error(`policy Q: rollouts must be an even number of at least 2, got ${rollouts}`);
  const candidates = beliefFrom(kb, grammarFor(kb), obs).candidates;
  if (candidates.length === 0) throw new Error('policy Q: no object is consistent with this state');
  const history = parseHistory(obs).map((t) => t.question);
  // returns[u][k]: the discounted return of rollout k after asking utterance u.
  const returns = utterances.map(() => new Array<number>(rollouts).fill(0));
  const pending: { u: number; k: number; object: number; r0: number }[] = [];
  utterances.forEach((u, ui) => {
    for (let k = 0; k < rollouts; k++) {
      const object = candidates[(k >> 1) % candidates.length]!;
      const env = new ReplayedStart(kb, maxTurns, object, history);
      env.reset();
      const s = env.step(u);
      returns[ui]![k] = s.reward;
      if (!(s.terminated || s.truncated)) pending.push({ u: ui, k, object, r0: s.reward });
    }
  });
  for (let i = 0; i < pending.length; i += batch) {
    const chunk = pending.slice(i, i + batch);
    let next = 0;
    const makeEnv = () => {
      const p = chunk[next++]!;
      return new ReplayedStart(kb, maxTurns, p.object, [...history, utterances[p.u]!]);
    };
    const { episodes } = await collectEpisodes(makeEnv, chunk.map((_, j) => j), policy);
    episodes.forEach((ep, j) => {
      const p = chunk[j]!;
      returns[p.u]![p.k] = p.r0 + gamma * (returnsToGo(ep.steps.map((st) => st.reward), gamma)[0] ?? 0);
    });
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const q = returns.map(mean);
  const halves: [number[], number[]] = [returns.map((rs) => mean(rs.filter((_, k) => k % 2 === 0))), returns.map((rs) => mean(rs.filter((_, k) => k % 2 === 1)))];
  let ss = 0;
  returns.forEach((rs, u) => rs.forEach((r) => (ss += (r - q[u]!) ** 2)));
  const noiseStd = Math.sqrt(ss / (returns.length * (rollouts - 1)));
  return { q, halves, noiseStd, games: pending.length };
}
