import { expect, test } from '@playwright/test';
import { TINY, openLab, status, step } from './fixtures';

test('asking for WebGPU where the browser has none falls back with a visible notice; the run moves to wasm on request', async ({ page }) => {
  // This project's Chromium runs without --enable-unsafe-webgpu: navigator.gpu gives no adapter.
  await openLab(page, `/?backend=webgpu#${TINY}`);
  await expect(page.getByTestId('backend-notice')).toContainText('webgpu is not available here');
  const s = await status(page);
  expect(s.probes?.find((p) => p.name === 'webgpu')?.available).toBe(false);
  expect(['webgl', 'wasm']).toContain(s.backend);

  // Switch to wasm with the backend menu, train an iteration there, and the run goes on.
  await page.getByText(/^Backend:/).click();
  await page.getByLabel('tfjs backend').selectOption('wasm');
  await page.getByRole('button', { name: 'Switch backend' }).click();
  await expect(page.getByTestId('run-backend')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page).toHaveURL(/\?backend=wasm/);
  const rows = await step(page, 1);
  expect(Number.isFinite(rows[0]!['critic/q1/mean'])).toBe(true);
  expect((await status(page)).backend).toBe('wasm');
});

test('switching backends mid-run keeps the run: iteration, trajectories and replay size carry over', async ({ page }) => {
  await openLab(page);
  await step(page, 2);
  const before = await status(page);
  const rowsBefore = await page.evaluate(() => window.archerLab!.metrics());
  await page.getByText(/^Backend:/).click();
  await page.getByLabel('tfjs backend').selectOption('cpu');
  await page.getByRole('button', { name: 'Switch backend' }).click();
  await expect(page.getByTestId('run-backend')).toHaveText('cpu', { timeout: 60_000 });
  const after = await status(page);
  expect(after.iteration).toBe(before.iteration);
  expect(after.trajectories).toBe(before.trajectories);
  const next = await step(page, 1);
  expect(next[0]!.iteration).toBe(before.iteration + 1);
  expect(next[0]!['replay/size']).toBeGreaterThan(rowsBefore[rowsBefore.length - 1]!['replay/size']!);
});

test('the throughput measurement times the hot path in the worker and leaves a fresh run ready', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page);
  const r = await page.evaluate(() => window.archerLab!.throughput('wasm', 1));
  expect(r.backend).toBe('wasm');
  for (const k of ['tokenMs', 'criticStepMs', 'actorStepMs', 'iterationMs']) expect(Number(r[k]), k).toBeGreaterThan(0);
  await expect(page.getByTestId('run-state')).toHaveText('ready');
  expect((await page.evaluate(() => window.archerLab!.status())).iteration).toBe(0);
  // A run that has trained is not measured (its training would be lost).
  await page.evaluate(() => window.archerLab!.step(1));
  await expect(page.evaluate(() => window.archerLab!.throughput('wasm', 1))).rejects.toThrow(/needs a fresh run/);
});
