/**
 * ArCHer's critic instruments, measured on an iteration's fresh episodes before the critic trains
 * on them (so they are held out):
 *   critic/ev_v, critic/ev_q    explained variance of min(V1,V2)(s) and min(Q1,Q2)(s,a) against the
 *                               discounted Monte Carlo return of the current policy from that turn;
 *   critic/v_bias               mean of min V(s) - G: the value scale the critic still has to learn;
 *   critic/q_rank_ig            at a few of those states, the rank correlation (Spearman) of min Q over
 *                               every candidate question with the expert's information gain (where
 *                               the environment can score candidates: Twenty Questions);
 *   critic/q_spread, critic/v_spread   the std of min Q across those candidates (mean over the probed
 *                               states) against the std of min V across states: a critic that barely
 *                               tells one question from another has a q_spread far below v_spread.
 * Pure reads of the online critic: no gradient, no optimiser, and its own Rng (the trainer's random
 * stream, and so the run, is the same with or without them).
 */
import * as tf from '@tensorflow/tfjs';
import type { Critic } from '../../models/critic';
import type { Tokenizer } from '../../text/tokenizer';
import type { Transition } from '../../replay/replay-buffer';
import { explainedVariance, returnsToGo, spearman } from '../../metrics/critic-quality';
import { stats } from '../../metrics/stats';
import type { Rng } from '../../util/rng';
import type { CandidateScorer } from '../../envs/make-env';

export type { CandidateScorer };

export interface DiagnosticsInput {
  critic: Critic;
  tokenizer: Tokenizer;
  /** One iteration's transitions, each with its episode and turn. */
  transitions: readonly Transition[];
  gamma: number;
  /** The text the critic reads for a transition's state (criticStateText). */
  criticText: (t: Transition) => string;
  candidates?: CandidateScorer;
  /** States probed for the ranking (at most). */
  probeStates: number;
  rng: Rng;
  /** Rows per forward pass. */
  chunk?: number;
}

/** Discounted Monte Carlo returns-to-go of every transition, grouped by its episode (turn order). */
export function transitionReturns(transitions: readonly Transition[], gamma: number): number[] {
  const byEpisode = new Map<number, number[]>();
  transitions.forEach((t, i) => {
    if (t.episode === undefined) throw new Error('critic diagnostics need the episode of every transition');
    const list = byEpisode.get(t.episode) ?? [];
    list.push(i);
    byEpisode.set(t.episode, list);
  });
  const out = new Array<number>(transitions.length);
  for (const idx of byEpisode.values()) {
    idx.sort((a, b) => (transitions[a]!.turn ?? a) - (transitions[b]!.turn ?? b));
    const g = returnsToGo(idx.map((i) => transitions[i]!.reward), gamma);
    idx.forEach((i, k) => (out[i] = g[k]!));
  }
  return out;
}

function minOf(a: Float32Array, b: Float32Array): number[] {
  return Array.from(a, (x, i) => Math.min(x, b[i]!));
}

export async function criticDiagnostics(input: DiagnosticsInput): Promise<Record<string, number>> {
  const { critic, tokenizer, transitions, gamma, criticText } = input;
  const chunk = input.chunk ?? 64;
  const out: Record<string, number> = {};
  if (transitions.length === 0) return out;
  const returns = transitionReturns(transitions, gamma);
  const q: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < transitions.length; i += chunk) {
    const part = transitions.slice(i, i + chunk);
    const values = tf.tidy(() => {
      const r = critic.values(part.map((t) => tokenizer.encode(criticText(t))), part.map((t) => tokenizer.encodeUtterance(t.action)));
      return [r.q1, r.q2, r.v1, r.v2];
    });
    const [q1, q2, v1, v2] = (await Promise.all(values.map((t) => t.data()))) as Float32Array[];
    tf.dispose(values);
    q.push(...minOf(q1!, q2!));
    v.push(...minOf(v1!, v2!));
  }
  out['critic/ev_v'] = explainedVariance(v, returns);
  out['critic/ev_q'] = explainedVariance(q, returns);
  out['critic/v_bias'] = stats(v.map((x, i) => x - returns[i]!)).mean;
  out['critic/mc_return/mean'] = stats(returns).mean;
  out['critic/v_spread'] = stats(v).std;

  if (input.candidates && input.probeStates > 0) {
    // One transition per distinct state; the scorer reads the state, the critic its own text of it.
    const pool = [...new Map(transitions.map((t) => [t.state, t] as const)).values()];
    const probed: Transition[] = [];
    while (probed.length < Math.min(input.probeStates, pool.length)) {
      const [t] = pool.splice(input.rng.int(pool.length), 1);
      probed.push(t!);
    }
    // States with the same candidate list (every state, in Twenty Questions) share one Q grid, so
    // each candidate is encoded once per iteration.
    const scored = probed.map((t) => ({ t, ...input.candidates!(t.state) }));
    const groups = new Map<string, typeof scored>();
    for (const x of scored) {
      const key = x.utterances.join('\n');
      groups.set(key, [...(groups.get(key) ?? []), x]);
    }
    const rho: number[] = [];
    const spread: number[] = [];
    for (const group of groups.values()) {
      const utterances = group[0]!.utterances;
      const grid = critic.qGrid(group.map((x) => tokenizer.encode(criticText(x.t))), utterances.map((u) => tokenizer.encodeUtterance(u)));
      const [q1, q2] = (await Promise.all([grid.q1.data(), grid.q2.data()])) as Float32Array[];
      tf.dispose([grid.q1, grid.q2]);
      const A = utterances.length;
      group.forEach((x, row) => {
        const qs = minOf(q1!.subarray(row * A, (row + 1) * A), q2!.subarray(row * A, (row + 1) * A));
        const r = spearman(qs, x.gains);
        if (Number.isFinite(r)) rho.push(r);
        spread.push(stats(qs).std);
      });
    }
    out['critic/q_rank_ig'] = rho.length > 0 ? stats(rho).mean : Number.NaN;
    out['critic/q_spread'] = stats(spread).mean;
  }
  return out;
}
