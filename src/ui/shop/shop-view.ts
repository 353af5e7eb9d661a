/**
 * The visual shop replay's logic, pure: which element of a page an agent action points at, the
 * reward's arithmetic as text, and labels. ShopPanel.tsx only draws what these return.
 */
import { actionKey } from '../../core/envs/webshop/agent-env';
import type { ShopEpisode, ShopFrame } from '../../core/envs/webshop/replay';
import type { RewardParts } from '../../core/envs/webshop/reward';

/** What an action clicks on the page it was taken on. */
export type ActionTarget =
  | { kind: 'search' }
  | { kind: 'result'; position: number }
  | { kind: 'option'; value: string }
  | { kind: 'buy' }
  | { kind: 'button'; name: 'next' | 'prev' | 'back to search' }
  | { kind: 'none' };

export function actionTarget(action: string | undefined, frame: ShopFrame): ActionTarget {
  if (action === undefined) return { kind: 'none' };
  const key = actionKey(action).replace(/\.$/, '');
  if (key === 'search') return { kind: 'search' };
  if (key === 'buynow') return { kind: 'buy' };
  const item = /^clickitem(\d+)$/.exec(key);
  if (item) return { kind: 'result', position: Number(item[1]) };
  if (key === 'clicknext') return { kind: 'button', name: 'next' };
  if (key === 'clickprev') return { kind: 'button', name: 'prev' };
  if (key === 'clickbacktosearch') return { kind: 'button', name: 'back to search' };
  if (key.startsWith('click')) {
    const options = Object.values(frame.view.product?.options ?? {}).flat();
    const value = options.find((v) => actionKey(v) === key.slice(5));
    if (value !== undefined) return { kind: 'option', value };
  }
  return { kind: 'none' };
}

export function formatDollars(price: number): string {
  return `$${price.toFixed(2)}`;
}

/** The reward formula with this purchase's numbers: r = type x (attributes + options + price) / (asked + 1). */
export function rewardArithmetic(p: RewardParts): string {
  const num = p.attributes.matched.length + p.options.matched.length + (p.priceOk ? 1 : 0);
  const den = p.attributes.asked + p.options.asked + 1;
  return `${p.typeFactor} × (${p.attributes.matched.length} + ${p.options.matched.length} + ${p.priceOk ? 1 : 0}) / (${p.attributes.asked} + ${p.options.asked} + 1) = ${p.typeFactor} × ${num}/${den} = ${p.reward.toFixed(3)}`;
}

/**
 * Why the product-type factor is what it is (goal.py's get_type_reward): the search query, the
 * category path and the share of the goal title's nouns. Purchases recorded before the lab kept
 * these parts show the factor alone.
 */
export function typeExplanation(p: RewardParts): string {
  const t = p.type as RewardParts['type'] | undefined;
  if (!t) return `factor ${p.typeFactor}`;
  const score = `title nouns ${(t.titleScore * 100).toFixed(0)}% shared`;
  const why = [t.queryMatch ? 'same search query' : 'other search query', t.categoryMatch ? 'category paths share 2+ parts' : 'category paths differ', score];
  let rule = '';
  if (t.titleScore === 0) rule = ' (no shared noun: 0)';
  else if (t.titleScore < 0.1) rule = ' (under 10% of the nouns: 0.1)';
  else if (p.typeFactor === 0.5) rule = ' (no query, path or 20% title match: 0.5)';
  return `factor ${p.typeFactor}: ${why.join(', ')}${rule}`;
}

export function shopEpisodeLabel(e: { index: number; return: number; shop?: ShopEpisode }): string {
  const outcome = e.shop?.success ? 'success' : (e.shop?.cause ?? 'no purchase');
  return `#${e.index + 1} · reward ${e.return.toFixed(2)} · ${outcome}`;
}

/** What happens between frame i and frame i + 1, in words. */
export function stepCaption(episode: ShopEpisode, frame: number): string {
  const next = episode.frames[frame + 1];
  if (!next) {
    if (episode.purchased) return `Bought ${episode.purchased}: reward ${episode.reward.toFixed(3)}${episode.success ? ' (everything asked for)' : ''}.`;
    return 'The episode ended without a purchase (step limit).';
  }
  return `Agent: “${next.action ?? ''}”${next.envAction ? ` → ${next.envAction}` : ''}${next.valid ? '' : ' (invalid: costs a step)'}`;
}
