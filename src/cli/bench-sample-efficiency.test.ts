import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function bench(args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'sample-efficiency', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench sample-efficiency', () => {
  it('trains every algorithm x seed, writes the comparison, and reuses finished runs', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'archer-se-')), 'se');
    const args = ['--algos', 'filtered_bc,grpo', '--seeds', '2', '--budget', '8', '--window', '4', '--eval-episodes', '2', '--jobs', '2', '--out', out,
      'agent_proxy.max_turn=3', 'algorithm.rollout_size=4', 'grpo.group_size=2'];
    const first = bench(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/filtered BC\s+\|\s+\d\/2 \|/);
    expect(first.stdout).toMatch(/GRPO\s+\|\s+\d\/2 \|/);
    const result = JSON.parse(readFileSync(join(out, 'sample-efficiency.json'), 'utf8')) as {
      runs: { variant: string; seed: number; curve: { trajectories: number }[]; smoothed: unknown[] }[];
      summaries: { algorithm: string; seeds: number; toThreshold: unknown[] }[];
      budgets: number[];
      headline: unknown;
    };
    expect(result.runs.map((r) => `${r.variant}-${r.seed}`)).toEqual(['filtered_bc-1', 'filtered_bc-2', 'grpo-1', 'grpo-2']);
    for (const r of result.runs) {
      expect(r.curve.map((p) => p.trajectories)).toEqual([4, 8]);
      expect(r.smoothed).toHaveLength(2);
    }
    expect(result.summaries.map((s) => [s.algorithm, s.seeds, s.toThreshold.length])).toEqual([['filtered_bc', 2, 2], ['grpo', 2, 2]]);
    expect(result.budgets).toEqual([3, 5, 8]);
    expect(result.headline).toBeNull(); // no ArCHer or PPO in this bench
    const again = bench(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/reusing/g)).toHaveLength(4);
  });

  it('refuses an unknown algorithm and a stage 1 larger than the budget before training anything', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'archer-se-')), 'se');
    const a = bench(['--algos', 'dqn', '--out', out]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/unknown algorithm "dqn"/);
    const b = bench(['--algos', 'apo', '--budget', '64', '--out', out]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/stage 1 alone \(128 reference episodes\) uses the whole budget of 64/);
  });
});
