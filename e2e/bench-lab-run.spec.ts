import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { TINY } from './fixtures';

// `bench lab-run` drives the built app in its own headless Chromium (the same dist/ these specs serve):
// a short run of small settings, one seed, a few evaluation games.
test('bench lab-run: Start, Pause after the minutes, the lift on the same evaluation games, written as JSON', async () => {
  test.setTimeout(240_000);
  const file = join(mkdtempSync(join(tmpdir(), 'archer-labrun-')), 'lab-run.json');
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'lab-run', '--minutes', '0.3', '--seeds', '1', '--eval-episodes', '6', '--out', file, ...TINY.split('&')],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 220_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^\s+1 \| wasm\s+\|\s+\d+ \|/m);
  expect(r.stdout).toMatch(/^lift: mean [-+\d.]+ \(sd —, 1 seeds/m);
  const result = JSON.parse(readFileSync(file, 'utf8')) as { bench: string; rows: { seed: number; iterations: number; trajectories: number; referenceEval: number; trainedEval: number; lift: number }[] };
  expect(result.bench).toBe('lab-run');
  const row = result.rows[0]!;
  expect(row.seed).toBe(1);
  expect(row.iterations).toBeGreaterThanOrEqual(1);
  expect(row.trajectories).toBe(2 * row.iterations);
  expect(row.lift).toBeCloseTo(row.trainedEval - row.referenceEval, 9);
  expect(row.referenceEval).toBeLessThan(0);
});
