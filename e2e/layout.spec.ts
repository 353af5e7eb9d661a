import { expect, test } from '@playwright/test';
import { openLab, step } from './fixtures';

/** Screenshots of the main views for the note go to e2e/.results/screenshots/. */
for (const { name, width, height } of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`layout at ${width} px: nothing spills sideways, charts and replay fit (${name})`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openLab(page);
    await step(page, 3);
    await expect(page.getByTestId('chart-critic-q1')).toHaveAttribute('data-points', '3');
    // ArCHer's instruments: the critic's explained variance and rank agreement, every iteration
    await expect(page.getByTestId('chart-critic-quality')).toHaveAttribute('data-points', '3');
    await expect(page.getByTestId('chart-policy-behaviour')).toHaveAttribute('data-points', '3');
    await expect(page.getByTestId('replay-turn').first()).toBeVisible();
    await page.getByText('Hyperparameters').click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Every button and field is inside the viewport horizontally.
    const outside = await page.evaluate((w) => {
      const bad: string[] = [];
      for (const el of document.querySelectorAll('button, input, select, textarea')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.left < -1 || r.right > w + 1)) bad.push(`${el.tagName} ${el.getAttribute('aria-label') ?? el.id ?? ''} ${r.left.toFixed(0)}..${r.right.toFixed(0)}`);
      }
      return bad;
    }, width);
    expect(outside).toEqual([]);
    await page.getByText('Hyperparameters').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `e2e/.results/screenshots/${name}-train.png`, fullPage: false });
    await page.getByTestId('replay-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('replay-panel').screenshot({ path: `e2e/.results/screenshots/${name}-replay.png` });
    await page.getByTestId('chart-critic-q1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `e2e/.results/screenshots/${name}-charts.png`, fullPage: false });
  });
}
