/**
 * Episodes for the replay view: each turn of a finished episode annotated with the critic's
 * opinion of it, and a running record of the best and worst episodes seen so far.
 * Pure data and pure functions: the trainer worker fills the numbers, the UI only draws them.
 */
import type { Episode } from './episode';
import type { ShopEpisode } from '../envs/webshop/replay';

/** One question of an episode and what the critic thought of it. */
export interface ReplayTurn {
  /** The agent's utterance (a question or a guess). */
  question: string;
  /** The oracle's answer: "Yes.", "No." or "Invalid Question.". */
  answer: string;
  reward: number;
  q1: number;
  q2: number;
  v1: number;
  v2: number;
  /** min(Q1, Q2)(s, a): the value ArCHer's actor sees for the question asked. */
  q: number;
  /** min(V1, V2)(s): the value of the state before the question. */
  v: number;
  /** q - v: how much better than the policy's average this question was, to the critic. */
  advantage: number;
}

export interface ReplayEpisode {
  /** Iteration whose rollout produced the episode (1-based: the iteration counter after it). */
  iteration: number;
  /** Position within that iteration's rollout. */
  index: number;
  seed: number;
  /** The hidden object. */
  target: string;
  return: number;
  success: boolean;
  truncated: boolean;
  turns: ReplayTurn[];
  /** When the critic values were computed: after that iteration's critic updates ('none': no critic, e.g. A*PO: the values are NaN). */
  valuesFrom: 'after-iteration' | 'none';
  /** WebShop episodes: the pages, actions and purchase, for the visual shop replay. */
  shop?: ShopEpisode;
}

/** The critic's four heads for each turn of one episode, in turn order. */
export interface TurnValues {
  q1: ArrayLike<number>;
  q2: ArrayLike<number>;
  v1: ArrayLike<number>;
  v2: ArrayLike<number>;
}

/** The environment's reply to a step: its `info.answer` when it gives one, else the last line of the observation. */
export function answerOf(step: Episode['steps'][number]): string {
  if (typeof step.info.answer === 'string') return step.info.answer;
  const lines = step.obs.trimEnd().split('\n');
  return (lines[lines.length - 1] ?? '').trim();
}

/** Joins an episode with its critic values into a replay episode. */
export function annotateEpisode(episode: Episode, values: TurnValues, iteration: number, index: number): ReplayEpisode {
  const n = episode.steps.length;
  for (const k of ['q1', 'q2', 'v1', 'v2'] as const) {
    if (values[k].length !== n) throw new Error(`annotateEpisode: ${k} has ${values[k].length} values for ${n} turns`);
  }
  const turns = episode.steps.map((s, t): ReplayTurn => {
    const q1 = Number(values.q1[t]);
    const q2 = Number(values.q2[t]);
    const v1 = Number(values.v1[t]);
    const v2 = Number(values.v2[t]);
    const q = Math.min(q1, q2);
    const v = Math.min(v1, v2);
    return { question: s.action, answer: answerOf(s), reward: s.reward, q1, q2, v1, v2, q, v, advantage: q - v };
  });
  return {
    iteration,
    index,
    seed: episode.seed,
    target: String(episode.info.target ?? ''),
    return: episode.return,
    success: episode.success,
    truncated: episode.truncated,
    turns,
    valuesFrom: 'after-iteration',
  };
}

/** A replay episode without critic values (A*PO has no critic): every value is NaN, valuesFrom 'none'. */
export function plainReplayEpisode(episode: Episode, iteration: number, index: number): ReplayEpisode {
  const nan = episode.steps.map(() => Number.NaN);
  return { ...annotateEpisode(episode, { q1: nan, q2: nan, v1: nan, v2: nan }, iteration, index), valuesFrom: 'none' };
}

/** The best and worst episodes so far (by return; on a tie the earlier one stays). */
export interface Extremes {
  best?: ReplayEpisode;
  worst?: ReplayEpisode;
}

export function updateExtremes(prev: Extremes, episodes: readonly ReplayEpisode[]): Extremes {
  let { best, worst } = prev;
  for (const e of episodes) {
    if (best === undefined || e.return > best.return) best = e;
    if (worst === undefined || e.return < worst.return) worst = e;
  }
  return { best, worst };
}
