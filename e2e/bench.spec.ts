import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { TINY, openLab, step } from './fixtures';

/** The shipped sample-efficiency benchmark (public/bench), overlaid with the lab's own run. */
test('the sample-efficiency benchmark is overlaid on one chart with the lab run, and a wrong file is refused', async ({ page }) => {
  test.setTimeout(120_000);
  const shipped = JSON.parse(readFileSync('public/bench/sample-efficiency.json', 'utf8')) as { runs: { variant: string }[]; summaries: { label: string }[]; headline: { text: string } | null };
  const algorithms = new Set(shipped.runs.map((r) => r.variant)).size;
  await openLab(page, `/#env.subset=subset10&${TINY}`); // the game the shipped benchmark ran on
  await expect(page.getByTestId('bench-view')).toHaveCount(0); // nothing fetched until asked
  await page.getByTestId('bench-load-shipped').click();
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms));
  const table = page.getByTestId('bench-table');
  await expect(table.locator('tbody tr')).toHaveCount(shipped.summaries.length);
  for (const s of shipped.summaries) await expect(table).toContainText(s.label);
  if (shipped.headline) await expect(page.getByTestId('bench-headline')).toContainText(shipped.headline.text);

  // The lab's own run joins the chart as one more line once it has trained.
  await step(page, 1);
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms + 1));
  await expect(page.getByTestId('bench-chart')).toContainText('this lab run (archer)');

  await page.getByTestId('bench-file-input').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"bench":"throughput"}') });
  await expect(page.getByTestId('bench-error')).toContainText('other.json: not a sample-efficiency benchmark');
});

test('a lab run on another game than the benchmark (the default archer10) is not drawn over it, and the panel says so', async ({ page }) => {
  const shipped = JSON.parse(readFileSync('public/bench/sample-efficiency.json', 'utf8')) as { subset: string; runs: { variant: string }[] };
  expect(shipped.subset).toBe('subset10');
  const algorithms = new Set(shipped.runs.map((r) => r.variant)).size;
  await openLab(page);
  await page.getByTestId('bench-load-shipped').click();
  await expect(page.getByTestId('bench-view')).toContainText('Your current run is on another game, so it is not drawn.');
  await step(page, 1);
  await expect(page.getByTestId('bench-chart')).toHaveAttribute('data-series', String(algorithms));
});
