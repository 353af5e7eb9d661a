import { expect, test } from '@playwright/test';
import { openLab, status, step } from './fixtures';

test('a live setting changes the running trainer without a restart: rollout_size 2 -> 3 adds 3 games the next iteration', async ({ page }) => {
  await openLab(page);
  await step(page, 1);
  expect((await status(page)).trajectories).toBe(2);

  await page.getByText('Hyperparameters').click();
  const rollout = page.locator('#setting-algorithm-rollout_size');
  // The slider and the number field move the same setting: one keyboard step right.
  await page.getByLabel('algorithm.rollout_size slider').focus();
  await page.keyboard.press('ArrowRight');
  await expect(rollout).toHaveValue('3');
  // A restart-only key next to it would need a restart; a live one does not.
  await expect(page.getByTestId('restart-needed')).toHaveCount(0);
  await page.getByRole('button', { name: 'Apply live' }).click();
  await expect(page.getByTestId('run-message')).toContainText('applied live: algorithm.rollout_size');
  await expect(page).toHaveURL(/algorithm\.rollout_size=3/);

  await page.getByRole('button', { name: 'Step one iteration' }).click();
  await expect(page.getByTestId('run-iteration')).toHaveText('2', { timeout: 60_000 });
  const s = await status(page);
  expect(s.trajectories).toBe(5); // 2 + 3: the same run, now with 3 games an iteration
  const rows = await page.evaluate(() => window.archerLab!.metrics());
  expect(rows.map((r) => r.trajectories)).toEqual([2, 5]);

  // A model size cannot change live: the button says why it is off.
  await page.locator('#setting-model-d_model').fill('32');
  await expect(page.getByTestId('restart-needed')).toContainText('model.d_model');
  await expect(page.getByRole('button', { name: 'Apply live' })).toBeDisabled();
});

test('YAML: a broken file is refused with its line, a good one fills the settings, export gives the same YAML back', async ({ page }) => {
  await openLab(page);
  await page.getByText('Hyperparameters').click();
  const text = page.getByLabel('Or paste YAML');
  await text.fill('algorithm:\n  critic_epochs: [1,\n');
  await page.getByRole('button', { name: 'Import pasted YAML' }).click();
  await expect(page.getByTestId('yaml-error')).toContainText('line');
  await text.fill('algorithm:\n  critic_epochs: 500\n');
  await page.getByRole('button', { name: 'Import pasted YAML' }).click();
  await expect(page.getByTestId('yaml-error')).toContainText('algorithm.critic_epochs');
  await expect(page.locator('#setting-algorithm-critic_epochs')).toHaveValue('1'); // nothing changed

  await text.fill('env:\n  subset: subset10\nalgorithm:\n  critic_epochs: 4\n  gamma: 0.9\n');
  await page.getByRole('button', { name: 'Import pasted YAML' }).click();
  await expect(page.getByTestId('yaml-status')).toContainText('Imported');
  await expect(page.locator('#setting-algorithm-critic_epochs')).toHaveValue('4');
  await expect(page.locator('#setting-algorithm-gamma')).toHaveValue('0.9');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export YAML' }).click();
  const file = await download;
  const { readFile } = await import('node:fs/promises');
  const yaml = await readFile(await file.path(), 'utf8');
  expect(yaml).toMatch(/critic_epochs: 4/);
  expect(yaml).toMatch(/gamma: 0\.9/);
});
