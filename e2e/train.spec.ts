import { expect, test } from '@playwright/test';
import { TINY } from './fixtures';

test('trains ArCHer in a worker: start, stream metrics to the chart, pause, step one iteration', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#${TINY}`);
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
  const status = await page.evaluate(() => window.archerLab!.status());
  expect(status.backend).toBe('wasm');
  expect(status.reference).toBeLessThan(0);
  expect(status.optimalBound).toBeCloseTo(-2.8, 1);

  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect.poll(async () => Number(await page.getByTestId('chart-return').getAttribute('data-points')), { timeout: 90_000 }).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 60_000 });

  const rows = await page.evaluate(() => window.archerLab!.metrics());
  expect(rows.length).toBeGreaterThanOrEqual(2);
  for (const key of ['critic/q1/mean', 'critic/v2/std', 'critic/target_q1/mean', 'actor/pg_loss', 'rollout/return/mean']) {
    expect(Number.isFinite(rows[rows.length - 1]![key]), key).toBe(true);
  }
  const before = Number(await page.getByTestId('run-iteration').textContent());
  await page.getByRole('button', { name: 'Step one iteration' }).click();
  await expect(page.getByTestId('run-iteration')).toHaveText(String(before + 1), { timeout: 60_000 });
  expect(await page.evaluate(() => window.archerLab!.metrics().length)).toBe(rows.length + 1);
  expect(errors).toEqual([]);
});

test('a bad setting in the link is reported, naming the key, and the defaults are used', async ({ page }) => {
  await page.goto('/#algorithm.tau=7');
  await expect(page.getByRole('alert')).toContainText('algorithm.tau');
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
});

// The main thread must never train: one actor step alone takes about 800 ms here, so training on the
// UI thread would show as long tasks of that size. Chart and React renders give 50-160 ms tasks on
// this shared 2-core machine (measured in full-suite runs), so the bound is 500 ms and the measured
// figures are reported (annotation and log) rather than held to a timing target: those belong in benchmarks.
test('a first visit with the defaults: Start, the return chart moves within a minute, and the main thread never blocks for training (no long task over 500 ms)', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await expect(page.getByTestId('run-state')).toHaveText('ready', { timeout: 90_000 });
  // Long tasks (> 50 ms) of the page's main thread, from the moment training starts.
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const started = Date.now();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(async () => Number(await page.getByTestId('chart-return').getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  const firstMove = (Date.now() - started) / 1000;
  await expect.poll(async () => page.evaluate(() => window.archerLab!.metrics().length), { timeout: 120_000 }).toBeGreaterThanOrEqual(6);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 60_000 });
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const worst = Math.max(0, ...longTasks);
  const summary = `lab defaults: 2 chart points after ${firstMove.toFixed(1)} s; main-thread long tasks while training 6 iterations: ${longTasks.length} over 50 ms, longest ${worst.toFixed(0)} ms`;
  testInfo.annotations.push({ type: 'long tasks', description: summary });
  console.log(summary);
  expect(worst).toBeLessThan(500);
});
