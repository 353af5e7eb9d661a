/**
 * Running a text policy in a text environment, one episode or many, with seeded resets.
 */
import { Rng } from '../util/rng';
import type { TextEnv } from '../envs/types';
import { stats } from '../metrics/stats';

export interface EpisodeStep {
  action: string;
  obs: string;
  reward: number;
  info: Record<string, unknown>;
}

export interface Episode {
  seed: number;
  initialObs: string;
  steps: EpisodeStep[];
  return: number;
  success: boolean;
  invalidActions: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

export interface ActingPolicy {
  reset(seed: number): void;
  act(obs: string): string;
}

/** Plays one episode; `maxSteps` guards against an environment that never ends. */
export function runEpisode(env: TextEnv<any>, policy: ActingPolicy, seed: number, maxSteps = 1000): Episode {
  const reset = env.reset(seed);
  policy.reset(seed);
  let obs = reset.obs;
  const steps: EpisodeStep[] = [];
  let total = 0;
  let invalid = 0;
  for (let t = 0; t < maxSteps; t++) {
    const action = policy.act(obs);
    const r = env.step(action);
    steps.push({ action, obs: r.obs, reward: r.reward, info: r.info });
    total += r.reward;
    if (r.info?.valid === false) invalid += 1;
    obs = r.obs;
    if (r.terminated || r.truncated) {
      return {
        seed,
        initialObs: reset.obs,
        steps,
        return: total,
        success: r.info?.correct === true || r.info?.success === true,
        invalidActions: invalid,
        terminated: r.terminated,
        truncated: r.truncated,
        info: reset.info,
      };
    }
  }
  throw new Error(`episode did not end within ${maxSteps} steps`);
}

/** The seeds of `count` evaluation episodes derived from one base seed. */
export function episodeSeeds(baseSeed: number, count: number): number[] {
  const rng = new Rng(baseSeed);
  return Array.from({ length: count }, () => rng.nextUint32());
}

export interface EvalSummary {
  episodes: number;
  meanReturn: number;
  stdReturn: number;
  /** Standard error of the mean return. */
  seReturn: number;
  successRate: number;
  meanTurns: number;
  invalidRate: number;
}

export function summarise(episodes: readonly Episode[]): EvalSummary {
  const returns = stats(episodes.map((e) => e.return));
  const turns = episodes.reduce((s, e) => s + e.steps.length, 0);
  const invalid = episodes.reduce((s, e) => s + e.invalidActions, 0);
  return {
    episodes: episodes.length,
    meanReturn: returns.mean,
    stdReturn: returns.std,
    seReturn: episodes.length > 0 ? returns.std / Math.sqrt(episodes.length) : Number.NaN,
    successRate: episodes.filter((e) => e.success).length / episodes.length,
    meanTurns: turns / episodes.length,
    invalidRate: turns > 0 ? invalid / turns : 0,
  };
}

export function evaluate(
  env: TextEnv<any>,
  policy: ActingPolicy,
  count: number,
  baseSeed: number,
  onEpisode?: (episode: Episode, index: number) => void,
): { summary: EvalSummary; episodes: Episode[] } {
  if (!Number.isInteger(count) || count < 1) throw new Error(`episode count must be a positive integer, got ${count}`);
  const episodes = episodeSeeds(baseSeed, count).map((seed, i) => {
    const e = runEpisode(env, policy, seed);
    onEpisode?.(e, i);
    return e;
  });
  return { summary: summarise(episodes), episodes };
}
