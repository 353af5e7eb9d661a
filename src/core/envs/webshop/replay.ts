/**
 * A finished WebShop episode (played in WebShopAgentEnv) as frames for the lab's visual replay:
 * frame 0 is the start page, frame i the page after the agent's i-th action, which was taken on
 * frame i - 1. The purchase's reward parts and the failure cause come with it. Pure data.
 */
import type { Episode } from '../../rollout/episode';
import type { ShopPageView } from './agent-env';
import { failureCause, purchaseParts, type FailureCause } from './report';
import type { RewardParts } from './reward';

export interface ShopFrame {
  view: ShopPageView;
  /** The agent's utterance that led here (absent on frame 0). */
  action?: string;
  /** The WebShop action it became. */
  envAction?: string;
  valid: boolean;
  reward: number;
}

export interface ShopEpisode {
  instruction: string;
  goalIndex: number;
  frames: ShopFrame[];
  purchased?: string;
  chosenOptions?: Record<string, string>;
  parts?: RewardParts;
  /** Why it failed; undefined on success. */
  cause?: FailureCause;
  reward: number;
  success: boolean;
}

function viewOf(info: Record<string, unknown>, where: string): ShopPageView {
  const view = info.view as ShopPageView | undefined;
  if (!view || typeof view.page !== 'string') throw new Error(`shopEpisode: ${where} has no page view (was it played in WebShopAgentEnv?)`);
  return view;
}

export function shopEpisode(e: Episode): ShopEpisode {
  const frames: ShopFrame[] = [{ view: viewOf(e.info, 'the reset'), valid: true, reward: 0 }];
  e.steps.forEach((s, i) => {
    frames.push({
      view: viewOf(s.info, `step ${i + 1}`),
      action: s.action,
      envAction: typeof s.info.envAction === 'string' ? s.info.envAction : undefined,
      valid: s.info.valid !== false,
      reward: s.reward,
    });
  });
  const last = e.steps[e.steps.length - 1]?.info ?? {};
  const parts = purchaseParts(e);
  return {
    instruction: String(e.info.instruction ?? ''),
    goalIndex: Number(e.info.goalIndex ?? -1),
    frames,
    purchased: typeof last.purchased === 'string' ? last.purchased : undefined,
    chosenOptions: last.chosenOptions as Record<string, string> | undefined,
    parts,
    cause: failureCause(e),
    reward: e.return,
    success: e.success,
  };
}

/** Failed episodes counted by cause, most common first (the lab's failure panel). */
export function causeCounts(episodes: readonly { cause?: FailureCause }[]): { cause: FailureCause; count: number; share: number }[] {
  const counts = new Map<FailureCause, number>();
  for (const e of episodes) if (e.cause) counts.set(e.cause, (counts.get(e.cause) ?? 0) + 1);
  const failed = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...counts.entries()].map(([cause, count]) => ({ cause, count, share: count / failed })).sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
}
