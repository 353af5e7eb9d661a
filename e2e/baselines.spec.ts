import { expect, test } from '@playwright/test';
import { openLab, step, TINY } from './fixtures';

/** The on-policy baselines train in the lab from the URL's settings; their charts replace the critic's. */
test('PPO with the ArCHer estimator trains in the lab and charts its value head instead of the critic', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page, `/#${TINY}&algorithm.name=ppo&algorithm.adv_estimator=archer`);
  await expect(page.getByTestId('backend-notice')).toContainText('PPO runs save their metrics and episodes but no checkpoint yet');
  const ppo = await step(page, 1);
  expect(Number.isFinite(ppo[0]!['critic/value_loss'])).toBe(true);
  expect(Number.isFinite(ppo[0]!['actor/turn_advantage/mean'])).toBe(true);
  const charts = page.getByLabel('Training charts');
  await expect(charts.getByRole('heading', { name: 'PPO values (value head)' })).toBeVisible();
  await expect(page.getByTestId('chart-critic-value')).toHaveAttribute('data-points', '1');
  await expect(page.getByTestId('chart-critic-turn_advantage')).toHaveAttribute('data-points', '1');
  await expect(page.getByTestId('chart-loss-critic-value_loss')).toBeVisible();
  await expect(page.getByTestId('chart-critic-q1')).toHaveCount(0);
});

test('GRPO trains in the lab with no critic', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page, `/#${TINY}&algorithm.name=grpo&grpo.group_size=2`);
  const charts = page.getByLabel('Training charts');
  const grpo = await step(page, 1);
  expect(grpo[0]!['critic/value_loss']).toBeUndefined();
  expect(Number.isFinite(grpo[0]!['actor/clip_frac'])).toBe(true);
  await expect(charts.getByRole('heading', { name: 'GRPO values (no critic)' })).toBeVisible();
  await expect(page.getByTestId('chart-critic-advantage')).toHaveAttribute('data-points', '1');
});

test('a setting a baseline cannot run is refused with the reason', async ({ page }) => {
  await page.goto(`/#${TINY}&algorithm.name=grpo&grpo.group_size=3`);
  await expect(page.getByTestId('run-state')).toHaveText('error', { timeout: 90_000 });
  await expect(page.getByTestId('run-message')).toContainText('must be a multiple of it');
});
