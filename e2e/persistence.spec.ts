import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { TINY, openLab, status, step } from './fixtures';
import { BASE_URL } from './playwright.config';

const SAVING = `${TINY}&trainer.save_freq=2`;
const withoutPerf = (rows: Record<string, number | null>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/'))));

async function resumed(page: Page) {
  await expect.poll(async () => page.evaluate(() => window.archerLab?.status().runName ?? ''), { timeout: 90_000 }).not.toBe('');
  await expect(page.getByTestId('run-state')).toHaveText(/paused|ready/, { timeout: 90_000 });
}

test('reload mid-run: the run resumes from its last save with the same iteration, metrics history and replay size', async ({ page }) => {
  await openLab(page, `/#${SAVING}`);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(async () => (await status(page)).savedIteration ?? 0, { timeout: 90_000 }).toBeGreaterThanOrEqual(4);
  const before = await page.evaluate(() => window.archerLab!.metrics());
  await page.reload(); // while training: the worker is killed mid-iteration

  await resumed(page);
  const s = await status(page);
  const saved = (await page.evaluate(() => window.archerLab!.runs()))[0]!;
  expect(saved.checkpointIteration).toBe(s.iteration);
  expect(s.iteration).toBeGreaterThanOrEqual(4);
  expect(s.savedIteration).toBe(s.iteration);
  await expect(page.getByTestId('run-iteration')).toHaveText(String(s.iteration));
  const after = await page.evaluate(() => window.archerLab!.metrics());
  // The history is exactly the rows up to the save, and the chart shows them.
  expect(after.map((r) => r.iteration)).toEqual(Array.from({ length: s.iteration }, (_, i) => i + 1));
  expect(withoutPerf(after)).toEqual(withoutPerf(before.slice(0, s.iteration)));
  await expect(page.getByTestId('chart-return')).toHaveAttribute('data-points', String(s.iteration));

  // Training continues from there: the replay buffer grows from the saved size.
  const [next] = await step(page, 1);
  expect(next!.iteration).toBe(s.iteration + 1);
  expect(next!['replay/size']).toBeGreaterThan(after[after.length - 1]!['replay/size']!);
  expect(next!.trajectories).toBe(after[after.length - 1]!.trajectories! + 2);
});

test('export a run, import it into a fresh browser profile: same settings, same iteration, identical evaluation returns', async ({ page, browser }) => {
  // Full-length games, so the evaluation's returns differ from game to game.
  await openLab(page, `/#${SAVING}&agent_proxy.max_turn=20`);
  await step(page, 3);
  const evalA = await page.evaluate(() => window.archerLab!.evaluate(20, 12345));
  const sA = await status(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^export / }).first().click();
  const file = await download;
  const path = test.info().outputPath('run.archer-run.tar');
  await file.saveAs(path);
  expect(file.suggestedFilename()).toMatch(/\.archer-run\.tar$/);

  const fresh = await browser.newContext(); // a new profile: empty IndexedDB
  const page2 = await fresh.newPage();
  await openLab(page2, '/');
  expect(await page2.evaluate(() => window.archerLab!.runs())).toHaveLength(1); // only its own new run
  await page2.getByTestId('import-run-input').setInputFiles(path);
  await expect.poll(async () => page2.evaluate(() => window.archerLab!.status().runName ?? ''), { timeout: 60_000 }).toBe(sA.runName);
  await expect(page2.getByTestId('run-state')).toHaveText('paused', { timeout: 60_000 });
  const sB = await status(page2);
  expect(sB.iteration).toBe(sA.iteration);
  expect(sB.trajectories).toBe(sA.trajectories);
  expect(await page2.evaluate(() => window.archerLab!.config())).toEqual(await page.evaluate(() => window.archerLab!.config()));
  const evalB = await page2.evaluate(() => window.archerLab!.evaluate(20, 12345));
  expect(evalB).toEqual(evalA);
  expect(new Set(evalA.returns).size).toBeGreaterThan(1);
  console.log(`export/import: evaluation over 20 games, seed 12345: ${JSON.stringify(evalA)} in both profiles`);

  // A file that is not a run is refused with a message, and nothing changes.
  const junk = test.info().outputPath('notes.tar');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(junk, 'not a tar file at all');
  await page2.getByTestId('import-run-input').setInputFiles(junk);
  await expect(page2.getByTestId('runs-error')).toContainText('notes.tar was not imported');
  expect(await page2.evaluate(() => window.archerLab!.runs())).toHaveLength(2);
  expect((await status(page2)).runName).toBe(sA.runName);
  await fresh.close();
  expect((await readFile(path)).byteLength).toBeGreaterThan(100_000);
});

test('storage full: the save fails with a clear message, the previous save is kept, the run goes on', async ({ page }) => {
  // A quota (DevTools protocol) that holds one checkpoint (about 3.4 MB here) but not a second one
  // beside it, which write-new-then-switch needs. Chromium applies it to databases opened after it.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(BASE_URL).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 5_000_000 });
  await openLab(page, `/#${SAVING}`);
  await step(page, 1);
  expect((await status(page)).savedIteration).toBe(1);

  await step(page, 2);
  await expect(page.getByTestId('storage-error')).toContainText('Browser storage is full (QuotaExceededError)');
  await expect(page.getByTestId('storage-error')).toContainText('the previous save (iteration 1) is kept');
  const s = await status(page);
  expect(s.iteration).toBe(3); // training went on
  expect(s.savedIteration).toBe(1);
  expect((await page.evaluate(() => window.archerLab!.runs()))[0]!.checkpointIteration).toBe(1);

  // With room again, the next save succeeds and the message goes away.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await step(page, 1);
  await expect(page.getByTestId('storage-error')).toHaveCount(0);
  expect((await status(page)).savedIteration).toBe(4);
});

test('run list: rename, duplicate with the current settings, compare two runs, delete', async ({ page }) => {
  await openLab(page, `/#${SAVING}`);
  await step(page, 2);
  const first = (await status(page)).runName!;
  const panel = page.getByTestId('runs-panel');
  await panel.getByRole('button', { name: `rename ${first}` }).click();
  await panel.getByLabel(`new name for ${first}`).fill('baseline');
  await panel.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByTestId('active-run-name')).toHaveText('Run: baseline');

  // Duplicate continues the same run (iteration 2) under the applied settings.
  await panel.getByRole('button', { name: 'duplicate baseline with the current settings' }).click();
  await expect(page.getByTestId('active-run-name')).toHaveText('Run: baseline (copy)', { timeout: 60_000 });
  expect((await status(page)).iteration).toBe(2);
  await step(page, 1);

  await panel.getByLabel('compare baseline', { exact: true }).check();
  await panel.getByLabel('compare baseline (copy)').check();
  await expect(page.getByTestId('compare-chart')).toHaveAttribute('data-points', '2,3');

  await panel.getByRole('button', { name: 'delete baseline', exact: true }).click();
  await panel.getByRole('button', { name: 'really delete baseline', exact: true }).click();
  await expect(panel.getByTestId('run-name')).toHaveText(['baseline (copy)']);
});
