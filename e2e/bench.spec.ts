import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { TINY, openLab, step } from './fixtures';

interface Shipped {
  subset: string;
  runs: { variant: string }[];
  summaries: { label: string }[];
  headline: { text: string; secondsText?: string | null } | null;
  variants?: Record<string, { label: string; settings: string[] }>;
  tuning?: Record<string, { chosen: string[] }> | null;
}
const shipped = (): Shipped => JSON.parse(readFileSync('public/bench/sample-efficiency.json', 'utf8')) as Shipped;

/** The shipped sample-efficiency benchmark (public/bench), overlaid with the lab's own run. */
test('the sample-efficiency benchmark is overlaid on one chart with the lab run, against trajectories or seconds, with the settings each algorithm got', async ({ page }) => {
  test.setTimeout(120_000);
  const file = shipped();
  const algorithms = new Set(file.runs.map((r) => r.variant)).size;
  await openLab(page, `/#env.subset=${file.subset}&${TINY}`); // the game the shipped benchmark ran on
  await expect(page.getByTestId('bench-view')).toHaveCount(0); // nothing fetched until asked
  await page.getByTestId('bench-load-shipped').click();
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms));
  const table = page.getByTestId('bench-table');
  await expect(table.locator('tbody tr')).toHaveCount(file.summaries.length);
  for (const s of file.summaries) await expect(table).toContainText(s.label);
  if (file.headline) await expect(page.getByTestId('bench-headline')).toContainText(file.headline.text);
  if (file.headline?.secondsText) await expect(page.getByTestId('bench-headline')).toContainText(file.headline.secondsText);

  // The settings each algorithm got: with a tuned bench, its chosen setting is marked among those tried.
  const settings = page.getByTestId('bench-settings');
  await expect(settings.locator('tbody tr')).toHaveCount(Object.keys(file.variants ?? {}).length);
  for (const [v, t] of Object.entries(file.tuning ?? {})) {
    await expect(page.getByTestId(`bench-chosen-${v}`)).toContainText(t.chosen.map((x) => x.replace(/^algorithm\./, '')).join(', '));
  }

  // The lab's own run joins the chart as one more line once it has trained, on either axis.
  await step(page, 1);
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms + 1));
  await expect(page.getByTestId('bench-chart')).toContainText('this lab run (archer)');
  await page.getByTestId('bench-axis-seconds').check();
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-axis', 'seconds');
  await expect(page.getByTestId('bench-chart')).toContainText('training seconds');
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms + 1));

  await page.getByTestId('bench-file-input').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"bench":"throughput"}') });
  await expect(page.getByTestId('bench-error')).toContainText('other.json: not a sample-efficiency benchmark');
});

test('a lab run on another game than the benchmark is not drawn over it, and the panel says so', async ({ page }) => {
  const file = shipped();
  const other = file.subset === 'archer10' ? 'subset10' : 'archer10';
  const algorithms = new Set(file.runs.map((r) => r.variant)).size;
  await openLab(page, `/#env.subset=${other}&${TINY}`);
  await page.getByTestId('bench-load-shipped').click();
  await expect(page.getByTestId('bench-view')).toContainText('Your current run is on another game, so it is not drawn.');
  await step(page, 1);
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms));
});
