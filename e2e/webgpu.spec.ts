import { expect, test } from '@playwright/test';
import { openLab, status, step } from './fixtures';

// Runs in the "webgpu" project only (Chromium with --enable-unsafe-webgpu: a SwiftShader adapter,
// correct but slow, so the run is as small as it gets).
const SMALLEST = [
  'algorithm.rollout_size=1', 'algorithm.batch_size=2', 'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1',
  'algorithm.warmup_iterations=0', 'agent_proxy.max_turn=2',
].join('&');

test('trains on the WebGPU backend when asked: the adapter is found, an iteration runs there, the numbers agree with wasm', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await openLab(page, `/?backend=webgpu#${SMALLEST}`);
  const s = await status(page);
  const probe = s.probes?.find((p) => p.name === 'webgpu');
  expect(probe?.available).toBe(true);
  expect(s.backend).toBe('webgpu');
  await expect(page.getByTestId('backend-notice')).toHaveCount(0);
  const [row] = await step(page, 1);
  const after = await status(page);
  expect(after.backend, after.notice).toBe('webgpu');
  expect(Number.isFinite(row!['critic/q1/mean'])).toBe(true);
  console.log(`webgpu (${probe?.detail}): one iteration ${row!['perf/step_ms']!.toFixed(0)} ms`);

  // The same seed and settings on wasm give the same rollout and nearly the same critic values
  // (a new profile: this one would resume its saved webgpu run).
  const wasmContext = await browser.newContext();
  const wasmPage = await wasmContext.newPage();
  await openLab(wasmPage, `/?backend=wasm#${SMALLEST}`);
  expect((await status(wasmPage)).backend).toBe('wasm');
  const [wasmRow] = await step(wasmPage, 1);
  await wasmContext.close();
  expect(wasmRow!['rollout/return/mean']).toBe(row!['rollout/return/mean']);
  expect(wasmRow!['critic/q1/mean']).toBeCloseTo(row!['critic/q1/mean']!, 4);
});
