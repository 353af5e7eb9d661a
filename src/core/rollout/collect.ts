/**
 * Batched episode collection: many environments step in lockstep so a language-model policy can
 * generate all their utterances in one batched call per turn.
 */
import type { TextEnv } from '../envs/types';
import type { Transition } from '../replay/replay-buffer';
import type { Episode, EpisodeStep } from './episode';

/** Maps the current states of the unfinished games to one utterance each. */
export type BatchPolicy = (states: string[]) => Promise<string[]>;

export interface Collected {
  episodes: Episode[];
  /**
   * Utterance-level transitions in the order they happened; `done` is `terminated` (truncation
   * bootstraps), or `terminated || truncated` with `cutIsDone`.
   */
  transitions: Transition[];
  /** Utterances generated (one per env step). */
  utterances: number;
}

export async function collectEpisodes(
  makeEnv: () => TextEnv<any>,
  seeds: readonly number[],
  policy: BatchPolicy,
  episodeIdBase = 0,
  options: {
    maxSteps?: number;
    /**
     * Store an episode cut by its step limit as done (ArCHer's archer.turn_aware: the critic reads
     * the step count, so the cut is part of its state and nothing is bootstrapped past it).
     */
    cutIsDone?: boolean;
  } = {},
): Promise<Collected> {
  const { maxSteps = 1000, cutIsDone = false } = options;
  const games = seeds.map((seed) => {
    const env = makeEnv();
    const reset = env.reset(seed);
    return { env, seed, initial: reset, obs: reset.obs, steps: [] as EpisodeStep[], total: 0, invalid: 0, done: false, end: { terminated: false, truncated: false, success: false } };
  });
  const transitions: Transition[] = [];
  let utterances = 0;
  for (let t = 0; t < maxSteps; t++) {
    const live = games.filter((g) => !g.done);
    if (live.length === 0) break;
    const actions = await policy(live.map((g) => g.obs));
    if (actions.length !== live.length) throw new Error(`policy returned ${actions.length} utterances for ${live.length} states`);
    live.forEach((g, i) => {
      const action = actions[i] as string;
      const r = g.env.step(action);
      utterances += 1;
      transitions.push({
        state: g.obs,
        action,
        reward: r.reward,
        nextState: r.obs,
        done: r.terminated || (cutIsDone && r.truncated),
        episode: episodeIdBase + games.indexOf(g),
        turn: g.steps.length,
      });
      g.steps.push({ action, obs: r.obs, reward: r.reward, info: r.info });
      g.total += r.reward;
      if (r.info?.valid === false) g.invalid += 1;
      g.obs = r.obs;
      if (r.terminated || r.truncated) {
        g.done = true;
        g.end = { terminated: r.terminated, truncated: r.truncated, success: r.info?.correct === true || r.info?.success === true };
      }
    });
  }
  if (games.some((g) => !g.done)) throw new Error(`an episode did not end within ${maxSteps} steps`);
  const episodes: Episode[] = games.map((g) => ({
    seed: g.seed,
    initialObs: g.initial.obs,
    steps: g.steps,
    return: g.total,
    success: g.end.success,
    invalidActions: g.invalid,
    terminated: g.end.terminated,
    truncated: g.end.truncated,
    info: g.initial.info as Record<string, unknown>,
  }));
  return { episodes, transitions, utterances };
}
