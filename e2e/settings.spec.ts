import { expect, test } from '@playwright/test';

test('hyperparameters: invalid input shows an error in place; a valid change applies, lands in the link, and survives a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
  await expect(page.locator('#train-title ~ .note')).toContainText('20 critic and 4 actor steps');
  await page.getByText('Hyperparameters').click();

  const criticEpochs = page.locator('#setting-algorithm-critic_epochs');
  await criticEpochs.fill('lots');
  await expect(page.locator('#setting-algorithm-critic_epochs-error')).toContainText('algorithm.critic_epochs');
  await expect(criticEpochs).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Apply and restart the run' })).toBeDisabled();
  await criticEpochs.fill('500');
  await expect(page.locator('#setting-algorithm-critic_epochs-error')).toContainText('maximum 200');

  await criticEpochs.fill('3');
  await expect(page.locator('#setting-algorithm-critic_epochs-error')).toHaveCount(0);
  // The slider moves the same setting: keyboard on the tau slider.
  const tauSlider = page.getByLabel('algorithm.tau slider');
  await tauSlider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#setting-algorithm-tau')).toHaveValue('0.11');

  await page.getByRole('button', { name: 'Apply and restart the run' }).click();
  await expect(page).toHaveURL(/algorithm\.critic_epochs=3/);
  await expect(page).toHaveURL(/algorithm\.tau=0\.11/);
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
  await expect(page.locator('#train-title ~ .note')).toContainText('3 critic and 4 actor steps');

  // A shared link reproduces the settings.
  await page.reload();
  await expect(page.locator('#train-title ~ .note')).toContainText('3 critic and 4 actor steps');
  await page.getByText('Hyperparameters').click();
  await expect(page.locator('#setting-algorithm-tau')).toHaveValue('0.11');
});
