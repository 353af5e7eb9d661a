import { expect, test } from '@playwright/test';
import { TINY, openLab, status, step } from './fixtures';

test("ArCHer's own word lists: archer157 trains in the lab from its shipped reference; the game panel plays archer10", async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `/#env.subset=archer157&${TINY}`);
  const s = await status(page);
  expect(s.optimalBound).toBeCloseTo(-5.90, 2); // the expert's exact bound on the 157 words within TINY's 6 turns (-7.03 within 20)
  expect(s.reference).toBeCloseTo(-17.885, 3); // the shipped archer157 reference's evaluation (pretrain.json)
  await expect(page.getByText("Twenty Questions on ArCHer's 157 words")).toBeVisible();
  await step(page, 1);
  expect(await page.evaluate(() => window.archerLab!.metrics().length)).toBe(1);

  // The game panel offers the four lists; ArCHer's 10 words are ten objects the expert solves.
  await page.getByLabel('Objects').selectOption('archer10');
  await page.getByRole('button', { name: 'New game' }).click();
  await expect(page.getByTestId('tq-facts').locator('dd').first()).toHaveText('10');
  const input = page.getByLabel('Your question');
  await input.fill('Is it a pair of pants?');
  await input.press('Enter');
  await expect(page.getByRole('list', { name: 'Questions and answers' })).toContainText(/Is it a pair of pants\? (Yes|No)\./);
  await page.getByRole('button', { name: 'Watch the expert' }).click();
  await expect(page.getByTestId('tq-status')).toContainText('Solved');
  expect(errors).toEqual([]);
});
