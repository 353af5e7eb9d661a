import { expect, test } from '@playwright/test';
import { openLab, step } from './fixtures';

test('replay: open an episode of the latest iteration, scrub it, see Q, V and advantage per question, autoplay to the end', async ({ page }) => {
  await openLab(page);
  const panel = page.getByTestId('replay-panel');
  await expect(panel).toContainText('after the first training iteration');
  await step(page, 2);

  const episodes = await page.evaluate(() => window.archerLab!.episodes());
  expect(episodes.latest).toHaveLength(2);
  expect(episodes.best!.return).toBeGreaterThanOrEqual(episodes.worst!.return);

  // The panel opened an episode; pick the latest iteration's first one explicitly.
  if (await page.getByTestId('replay-show-latest').count()) await page.getByTestId('replay-show-latest').click();
  const shown = episodes.latest[0]!;
  await page.getByTestId('replay-episode-select').selectOption({ index: 0 });
  await expect(page.getByTestId('replay-target')).toHaveText(shown.target);
  const n = shown.turns.length;
  const turns = page.getByTestId('replay-turn');
  await expect(turns).toHaveCount(n);

  // The critic's numbers beside each question are the worker's, to two decimals.
  const first = turns.first();
  await expect(first).toContainText(shown.turns[0]!.question);
  expect(Number(await first.getByTestId('turn-q').textContent())).toBeCloseTo(shown.turns[0]!.q, 2);
  expect(Number(await first.getByTestId('turn-v').textContent())).toBeCloseTo(shown.turns[0]!.v, 2);
  expect(Number(await first.getByTestId('turn-advantage').textContent())).toBeCloseTo(shown.turns[0]!.advantage, 2);

  // Scrub: the slider shows the first k turns; the buttons step one turn.
  const scrubber = page.getByLabel('Replay position');
  await scrubber.fill('1');
  await expect(turns).toHaveCount(1);
  await expect(page.getByTestId('replay-position')).toHaveText(`1 / ${n}`);
  await page.getByRole('button', { name: 'Next turn' }).click();
  await expect(turns).toHaveCount(Math.min(2, n));
  await page.getByRole('button', { name: 'Previous turn' }).click();
  await expect(turns).toHaveCount(1);
  await scrubber.focus();
  await page.keyboard.press('Home');
  await expect(turns).toHaveCount(0);

  // Autoplay walks to the end and stops.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('replay-position')).toHaveText(`${n} / ${n}`, { timeout: 20_000 });
  await expect(turns).toHaveCount(n);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  // Best so far is one click away.
  await page.getByLabel('Best so far').check();
  await expect(page.getByTestId('replay-return')).toContainText(String(episodes.best!.return));
});
