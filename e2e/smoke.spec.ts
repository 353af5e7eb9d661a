import { expect, test } from '@playwright/test';

test('the built lab opens, is cross-origin isolated, and answers a Twenty Questions question', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'archer-lab' })).toBeVisible();
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);

  // The knowledge base facts come from the environment worker.
  const facts = page.getByTestId('tq-facts');
  await expect(facts).toContainText('objects');
  const objects = Number(await facts.locator('dd').first().textContent());
  expect(objects).toBeGreaterThanOrEqual(150);

  // Ask a question with the keyboard and get one of the oracle's answers.
  const input = page.getByLabel('Your question');
  await input.fill('Is it alive?');
  await input.press('Enter');
  await expect(page.getByRole('list', { name: 'Questions and answers' }).locator('li')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Questions and answers' })).toContainText(/Is it alive\? (Yes|No)\./);
  await expect(page.getByTestId('tq-status')).toContainText('Turn 2 of 20');

  // Nonsense costs a turn and is answered "Invalid Question.".
  await input.fill('What colour is the sky on Mars');
  await input.press('Enter');
  await expect(page.getByRole('list', { name: 'Questions and answers' })).toContainText('Invalid Question.');

  // The expert solves a game in the worker.
  await page.getByRole('button', { name: 'Watch the expert' }).click();
  await expect(page.getByTestId('tq-status')).toContainText('Solved');
  expect(errors).toEqual([]);
});
