import { expect, test } from '@playwright/test';
import { openLab, status, step } from './fixtures';

/** A*PO on WebShop with a small prompt pool, so stage 1 (reference samples) takes seconds. */
const APO_WEBSHOP = [
  'env.name=webshop', 'algorithm.name=apo', 'apo.num_prompts=4', 'apo.num_ref_samples=2',
  'algorithm.rollout_size=4', 'algorithm.batch_size=16', 'algorithm.actor_epochs=1', 'algorithm.lm_lr=1e-4',
].join('&');

test('WebShop + A*PO: train in the lab, read the failure analysis, step through a purchase in the shop replay', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page, `/#${APO_WEBSHOP}`);
  await expect(page.getByTestId('shop-panel')).toContainText('after the first training iteration');
  await expect(page.getByTestId('replay-panel')).toHaveCount(0);
  await expect(page.getByTestId('backend-notice')).toContainText('A*PO runs save their metrics and episodes but no checkpoint yet');

  const rows = await step(page, 2);
  expect(rows).toHaveLength(2);
  // Stage 1 ran once, before the first iteration: 4 starts x 2 reference episodes.
  expect(rows[0]!['apo/reference_episodes']).toBe(8);
  expect(rows[0]!['perf/stage1_ms']).toBeGreaterThan(0);
  expect(rows[1]!['perf/stage1_ms']).toBeUndefined();
  for (const r of rows) {
    expect(Number.isFinite(r['actor/apo_loss'])).toBe(true);
    expect(Number.isFinite(r['apo/v_star/mean'])).toBe(true);
  }
  expect((await status(page)).iteration).toBe(2);

  const episodes = await page.evaluate(() => window.archerLab!.episodes());
  expect(episodes.latest).toHaveLength(4);
  for (const e of episodes.latest) {
    expect(e.valuesFrom).toBe('none');
    expect(e.shop!.frames.length).toBe(e.turns.length + 1);
  }
  // The failure panel counts the latest iteration's failed episodes by cause.
  const failed = episodes.latest.filter((e) => !e.success).length;
  const failures = page.getByTestId('shop-failures');
  await expect(failures).toContainText(`Iteration 2`);
  if (failed > 0) {
    const counts = await failures.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(failed);
  }

  // Open a purchase from the latest iteration (train on until one bought something).
  let latest = episodes.latest;
  for (let i = 0; i < 4 && !latest.some((e) => e.shop!.purchased); i++) {
    await step(page, 1);
    latest = (await page.evaluate(() => window.archerLab!.episodes())).latest;
  }
  const pick = latest.findIndex((e) => e.shop!.purchased);
  expect(pick, 'an episode of the latest iteration bought something').toBeGreaterThanOrEqual(0);
  const select = page.getByTestId('shop-episode-select');
  await select.selectOption(`latest:${pick}`);
  const shop = latest[pick]!.shop!;
  const n = shop.frames.length;
  await expect(page.getByTestId('shop-step')).toHaveText(`Page 1 of ${n}`);
  await expect(page.getByTestId('shop-page')).toHaveAttribute('data-page', 'search');
  await expect(page.getByTestId('shop-caption')).toContainText(`Agent: “${shop.frames[1]!.action}”`);

  // Step through the purchase with the keyboard-reachable buttons, page by page.
  const next = page.getByTestId('shop-next');
  for (let f = 1; f < n; f++) {
    await next.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('shop-step')).toHaveText(`Page ${f + 1} of ${n}`);
    await expect(page.getByTestId('shop-page')).toHaveAttribute('data-page', shop.frames[f]!.view.page);
    if (shop.frames[f]!.view.page === 'results') await expect(page.getByTestId('shop-result').first()).toContainText(shop.frames[f]!.view.results![0]!.title);
  }
  await expect(next).toBeDisabled();
  const receipt = page.getByTestId('shop-receipt');
  await expect(receipt).toContainText(`Reward ${shop.parts!.reward.toFixed(3)}`);
  await expect(page.getByTestId('shop-formula')).toContainText(`= ${shop.parts!.reward.toFixed(3)}`);
  const selected = page.locator('[data-testid="shop-option"][aria-pressed="true"]');
  await expect(selected).toHaveCount(Object.keys(shop.chosenOptions ?? {}).length);

  // Play animates from the start to the receipt again.
  await page.getByTestId('shop-prev').click();
  await expect(receipt).toHaveCount(0);
  await page.getByTestId('shop-scrubber').fill('0');
  await page.getByTestId('shop-play').click();
  await expect(receipt).toBeVisible({ timeout: 2_000 * n });
  await page.getByTestId('shop-panel').screenshot({ path: 'e2e/.results/screenshots/desktop-shop.png' });

  // On a phone the shop fits the width: nothing spills sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('shop-scrubber').fill('2');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 391).map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().right.toFixed(0)}`).slice(0, 8));
  expect(overflow, wide.join('; ')).toBeLessThanOrEqual(0);
  await page.getByTestId('shop-panel').screenshot({ path: 'e2e/.results/screenshots/phone-shop.png' });
});
