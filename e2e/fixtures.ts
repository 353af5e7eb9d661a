/**
 * Shared pieces of the lab's Playwright specs: small run settings and a typed handle on the
 * page's test API (window.archerLab, src/ui/test-api.ts).
 */
import { expect, type Page } from '@playwright/test';
export type { ArcherLabTestApi } from '../src/ui/test-api'; // (type only) test-api.ts declares window.archerLab

/** Small settings from the URL hash keep an iteration to about a second on the wasm backend. */
export const TINY = [
  'algorithm.rollout_size=2', 'algorithm.batch_size=4', 'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1',
  'algorithm.warmup_iterations=0', 'agent_proxy.max_turn=6',
].join('&');

/** Opens the lab at `path` and waits until the run is ready (the reference policy is loaded). */
export async function openLab(page: Page, path = `/#${TINY}`): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
}

/** Trains n iterations through the test API. */
export function step(page: Page, n: number) {
  return page.evaluate((k) => window.archerLab!.step(k), n);
}

export function status(page: Page) {
  return page.evaluate(() => window.archerLab!.status());
}
