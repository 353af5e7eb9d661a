import { expect, test } from '@playwright/test';
import { DEV_PORT } from './playwright.config';

test('`npm run dev` opens the lab too: cross-origin isolated, the trainer starts on wasm', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The first visit may make Vite optimise dependencies and reload the page; the wait covers it.
  await page.goto(`http://localhost:${DEV_PORT}/`);
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('run-backend')).toHaveText('wasm');
  await expect(page.getByTestId('backend-notice')).toHaveCount(0);
  expect(errors).toEqual([]);
});
