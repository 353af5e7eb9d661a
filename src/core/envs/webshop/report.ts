/**
 * WebShop results the way WebShop's paper tables them: score (100 x mean reward), success rate,
 * and the reward's components; a per-episode audit line; and a failure analysis sorting failed
 * episodes by cause. Pure: works on finished episodes (src/core/rollout/episode.ts) whose last
 * step's info carries the purchase (WebShopEnv's `parts` and `cause`).
 */
import type { Episode } from '../../rollout/episode';
import type { RewardParts } from './reward';
import { stats } from '../../metrics/stats';

export const FAILURE_CAUSES = ['wrong type', 'missing attribute', 'wrong option', 'over price', 'ran out of steps', 'invalid actions'] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

export interface PolicySummary {
  policy: string;
  episodes: number;
  /** 100 x mean reward. */
  score: number;
  /** The score's standard error over these episodes (100 x sample std of the reward / sqrt(n); 0 for one episode). */
  scoreSe: number;
  successRate: number;
  /** Means over episodes (0 for an episode that bought nothing): matched/asked attributes and options, type factor, price within the bound. */
  attribute: number;
  option: number;
  type: number;
  price: number;
  meanSteps: number;
  invalidRate: number;
}

function lastInfo(e: Episode): Record<string, unknown> {
  return e.steps[e.steps.length - 1]?.info ?? {};
}

/** The reward parts of the episode's purchase, if it bought something. */
export function purchaseParts(e: Episode): RewardParts | undefined {
  const parts = lastInfo(e).parts as RewardParts | undefined;
  return parts && typeof parts.reward === 'number' ? parts : undefined;
}

/** Why an episode failed (undefined when it succeeded). */
export function failureCause(e: Episode): FailureCause | undefined {
  const parts = purchaseParts(e);
  if (parts) {
    if (parts.success) return undefined;
    const cause = lastInfo(e).cause;
    if (typeof cause === 'string' && (FAILURE_CAUSES as readonly string[]).includes(cause)) return cause as FailureCause;
    if (parts.typeFactor < 1) return 'wrong type';
    if (parts.attributes.matched.length < parts.attributes.asked) return 'missing attribute';
    if (parts.options.matched.length < parts.options.asked) return 'wrong option';
    return 'over price';
  }
  return e.invalidActions * 2 >= e.steps.length && e.invalidActions > 0 ? 'invalid actions' : 'ran out of steps';
}

const ratio = (matched: number, asked: number) => (asked === 0 ? 1 : matched / asked);

/** The reward an episode scores: its purchase's reward, 0 when it bought nothing. */
export function episodeReward(e: Episode): number {
  return purchaseParts(e)?.reward ?? 0;
}

/** Mean and standard error of the mean (sample std / sqrt(n), i.e. stats' population std / sqrt(n - 1); 0 when n = 1). */
function meanAndSe(xs: readonly number[]): { mean: number; se: number } {
  const { mean, std } = stats(xs);
  return { mean, se: xs.length < 2 ? 0 : std / Math.sqrt(xs.length - 1) };
}

export interface PairedDifference {
  policy: string;
  baseline: string;
  episodes: number;
  /** 100 x mean over seeds of (reward of policy - reward of baseline). */
  diff: number;
  /** Its standard error (paired: from the per-seed differences). */
  se: number;
}

/**
 * The score difference of two policies evaluated on the same seeds (the same goals, episode by
 * episode), with the paired standard error: far smaller than the two scores' own errors when the
 * goals' difficulty dominates the spread. Refuses episode lists whose seeds differ.
 */
export function pairedDifference(policy: string, episodes: readonly Episode[], baseline: string, baselineEpisodes: readonly Episode[]): PairedDifference {
  if (episodes.length === 0 || episodes.length !== baselineEpisodes.length) {
    throw new Error(`pairedDifference: ${policy} has ${episodes.length} episodes and ${baseline} ${baselineEpisodes.length}; pair the same seeds`);
  }
  const d = episodes.map((e, i) => {
    const b = baselineEpisodes[i]!;
    if (e.seed !== b.seed) throw new Error(`pairedDifference: episode ${i} has seed ${e.seed} for ${policy} but ${b.seed} for ${baseline}`);
    return 100 * (episodeReward(e) - episodeReward(b));
  });
  const { mean, se } = meanAndSe(d);
  return { policy, baseline, episodes: d.length, diff: mean, se };
}

export function summarise(policy: string, episodes: readonly Episode[]): PolicySummary {
  const n = episodes.length;
  if (n === 0) throw new Error('summarise: no episodes');
  let reward = 0;
  let success = 0;
  let attribute = 0;
  let option = 0;
  let type = 0;
  let price = 0;
  let steps = 0;
  let invalid = 0;
  for (const e of episodes) {
    const parts = purchaseParts(e);
    steps += e.steps.length;
    invalid += e.invalidActions;
    if (!parts) continue;
    reward += parts.reward;
    success += parts.success ? 1 : 0;
    attribute += ratio(parts.attributes.matched.length, parts.attributes.asked);
    option += ratio(parts.options.matched.length, parts.options.asked);
    type += parts.typeFactor;
    price += parts.priceOk ? 1 : 0;
  }
  return {
    policy,
    episodes: n,
    score: (100 * reward) / n,
    scoreSe: 100 * meanAndSe(episodes.map(episodeReward)).se,
    successRate: success / n,
    attribute: attribute / n,
    option: option / n,
    type: type / n,
    price: price / n,
    meanSteps: steps / n,
    invalidRate: steps === 0 ? 0 : invalid / steps,
  };
}

const CSV_COLUMNS: (keyof PolicySummary)[] = ['policy', 'episodes', 'score', 'scoreSe', 'successRate', 'attribute', 'option', 'type', 'price', 'meanSteps', 'invalidRate'];

/** summary.csv: a header and one row per policy (numbers to 4 decimals). */
export function summaryCsv(rows: readonly PolicySummary[]): string {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** One episode for episodes.jsonl: instruction, actions, observations, reward parts and cause. */
export function auditRecord(policy: string, index: number, e: Episode): Record<string, unknown> {
  const info = lastInfo(e);
  return {
    policy,
    index,
    seed: e.seed,
    goalIndex: e.info.goalIndex,
    instruction: e.info.instruction,
    actions: e.steps.map((s) => s.action),
    observations: [e.initialObs, ...e.steps.map((s) => s.obs)],
    valid: e.steps.map((s) => s.info.valid !== false),
    reward: e.return,
    purchased: info.purchased ?? null,
    chosenOptions: info.chosenOptions ?? null,
    parts: purchaseParts(e) ?? null,
    cause: failureCause(e) ?? 'success',
  };
}

/** Failed episodes counted by cause, most common first, with up to `examples` episode indices each. */
export function failureAnalysis(episodes: readonly Episode[], examples = 3): { cause: FailureCause; count: number; share: number; examples: number[] }[] {
  const by = new Map<FailureCause, number[]>();
  episodes.forEach((e, i) => {
    const c = failureCause(e);
    if (c) by.set(c, [...(by.get(c) ?? []), i]);
  });
  return [...by.entries()]
    .map(([cause, idx]) => ({ cause, count: idx.length, share: idx.length / episodes.length, examples: idx.slice(0, examples) }))
    .sort((a, b) => b.count - a.count || FAILURE_CAUSES.indexOf(a.cause) - FAILURE_CAUSES.indexOf(b.cause));
}
