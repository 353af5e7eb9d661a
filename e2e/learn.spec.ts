import { expect, test, type Page } from '@playwright/test';
import { TINY, openLab, step } from './fixtures';

const num = async (page: Page, id: string) => Number(await page.getByTestId(`walk-${id}`).getAttribute('data-value'));

test('live walk-through: one critic+actor update of the running lab, every shown number the engine\'s and consistent with the formulas', async ({ page }) => {
  await openLab(page);
  await step(page, 2);
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  await expect(page).toHaveURL(/view=learn/);
  const walk = page.getByTestId('live-walkthrough');
  await expect(walk).toContainText('No update yet');
  // Keyboard only: focus the button and press Enter.
  await walk.getByRole('button', { name: 'Step both' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stage-pg')).toBeVisible({ timeout: 60_000 });

  const raw = (await page.evaluate(() => window.archerLab!.walkthrough())) as {
    critic: { batch: { reward: number; done: boolean; action: string }[]; gamma: number; tau: number; pred: Record<string, number[]>; vbarNext: Record<string, number[]>; qbarPi: Record<string, number[]>; targets: Record<string, number[]>; losses: Record<string, number> };
    actor: { logProb: number[]; advantage: number[]; q1: number[]; q2: number[]; v1: number[]; v2: number[]; pgLoss: number };
  };
  // The page shows the engine's numbers for transition 1 (to 4 decimals).
  await expect(page.getByTestId('walk-q1')).toHaveText(raw.critic.pred.q1![0]!.toFixed(4));
  await expect(page.getByTestId('walk-vbar1Next')).toHaveText(raw.critic.vbarNext.v1![0]!.toFixed(4));
  await expect(page.getByTestId('walk-qTarget2')).toHaveText(raw.critic.targets.q2![0]!.toFixed(4));
  await expect(page.getByTestId('walk-lossTotal')).toHaveText(raw.critic.losses.total!.toFixed(4));
  await expect(page.getByTestId('walk-action')).toHaveText(raw.critic.batch[0]!.action);
  await expect(page.getByTestId('walk-advantage')).toHaveText(raw.actor.advantage[0]!.toFixed(4));
  await expect(page.getByTestId('walk-pgLoss')).toHaveText(raw.actor.pgLoss.toFixed(4));

  // And those numbers obey ArCHer's formulas.
  const r = raw.critic.batch[0]!.reward;
  const d = raw.critic.batch[0]!.done ? 1 : 0;
  expect(await num(page, 'qTarget1')).toBeCloseTo(r + raw.critic.gamma * (1 - d) * (await num(page, 'vbar1Next')), 5);
  expect(await num(page, 'vTarget1')).toBe(await num(page, 'qbar1Pi'));
  const losses = await Promise.all(['lossQ1', 'lossQ2', 'lossV1', 'lossV2'].map((k) => num(page, k)));
  expect(await num(page, 'lossTotal')).toBeCloseTo(losses.reduce((a, b) => a + b, 0), 5);
  const tau = raw.critic.tau;
  expect(await num(page, 'polyakAfter')).toBeCloseTo((1 - tau) * (await num(page, 'polyakBefore')) + tau * (await num(page, 'polyakOnline')), 6);
  const [q1, q2, v1, v2] = await Promise.all(['aq1', 'aq2', 'av1', 'av2'].map((k) => num(page, k)));
  expect(await num(page, 'advantage')).toBeCloseTo(Math.min(q1!, q2!) - Math.min(v1!, v2!), 5);
  const tokenLogProbs = (await page.getByTestId('walk-token-logprob').allTextContents()).map(Number);
  expect(tokenLogProbs.reduce((a, b) => a + b, 0)).toBeCloseTo(await num(page, 'logProb'), 2);
  expect(await num(page, 'pgLossFromSamples')).toBeCloseTo(await num(page, 'pgLoss'), 4);

  // Another transition of the same batch.
  await page.getByLabel('Transition shown').fill('2');
  await expect(page.getByTestId('walk-q1')).toHaveText(raw.critic.pred.q1![1]!.toFixed(4));

  // Slow motion walks the highlighted stage through the data flow.
  await page.getByLabel('Slow motion').check();
  await walk.getByRole('button', { name: 'Step the critic' }).click();
  await expect(page.getByTestId('dataflow')).toHaveAttribute('data-active', 'sample', { timeout: 60_000 });
  await expect(page.getByTestId('dataflow')).toHaveAttribute('data-active', 'critic-step', { timeout: 15_000 });
  await expect(page.getByTestId('stage-critic-step')).toBeVisible();
});

test('live walk-through with the leave-one-out advantage (archer.loo_samples): A = min Q minus the mean of the other samples at the state', async ({ page }) => {
  await openLab(page, `/#${TINY}&archer.loo_samples=4`);
  await step(page, 1);
  await page.getByRole('button', { name: 'Learn', exact: true }).click();
  const walk = page.getByTestId('live-walkthrough');
  await walk.getByRole('button', { name: 'Step the actor' }).click();
  await expect(page.getByTestId('stage-pg')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('stage-advantage')).toContainText('archer.loo_samples = 4');
  const others = JSON.parse((await page.getByTestId('walk-looOthers').getAttribute('data-values'))!) as number[];
  expect(others).toHaveLength(3);
  const [q1, q2] = await Promise.all(['aq1', 'aq2'].map((k) => num(page, k)));
  expect(await num(page, 'advantage')).toBeCloseTo(Math.min(q1!, q2!) - others.reduce((a, b) => a + b, 0) / 3, 4);
});

test('the worked example lesson prints DESIGN.md\'s digits, computed by the engine', async ({ page }) => {
  await openLab(page, `/?view=learn#${TINY}`);
  await page.getByRole('button', { name: 'Worked example' }).click();
  const expected: Record<string, string> = {
    qTarget1: '-0.685', qTarget2: '-0.640', vTarget1: '0.450', vTarget2: '0.500', lossQ1: '0.874', lossQ2: '0.884',
    lossV1: '0.090', lossV2: '0.090', total: '1.938', advantage: '0.100', logProb: '-2.300', pgLoss: '0.230',
  };
  for (const [key, digits] of Object.entries(expected)) await expect(page.getByTestId(`we-${key}`)).toHaveText(digits, { timeout: 30_000 });
});

test('the ArCHer, A*PO and PPO vs ArCHer pages are there and readable', async ({ page }) => {
  await openLab(page, `/?view=learn#${TINY}`);
  await page.getByRole('button', { name: 'ArCHer', exact: true }).click();
  await expect(page.getByTestId('doc-archer')).toContainText('algorithm.tau');
  await expect(page.getByTestId('doc-archer').locator('math').first()).toBeVisible();
  await page.getByRole('button', { name: 'A*PO' }).click();
  await expect(page.getByTestId('doc-apo')).toContainText('apo.beta1');
  await page.getByRole('button', { name: 'PPO vs ArCHer' }).click();
  const table = page.getByTestId('doc-ppo-vs-archer').locator('table').first();
  await expect(table.locator('thead th')).toContainText(['PPO', 'GRPO', 'ArCHer', 'A*PO']);
  expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(7);
});
