import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    // A run the bench started but did not finish (killed: no finished marker) is trained again, not refused.
    rmSync(join(out, 'grpo-s2', 'bench-args.json'));
    const resumed = bench(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.match(/reusing/g)).toHaveLength(3);
    expect(resumed.stderr).toMatch(/training grpo seed 2/);
    // A directory the bench did not make, where a run would go, is left alone.
    const other = join(mkdtempSync(join(tmpdir(), 'archer-se-foreign-')), 'se');
    mkdirSync(join(other, 'filtered_bc-s1'), { recursive: true });
    const foreign = bench(args.map((a) => (a === out ? other : a)));
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toMatch(/filtered_bc-s1 exists and is not a bench run/);
  });

  it('--tune gives each algorithm the same tuning budget on seeds it does not report, and trains the reported seeds with the best setting', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'archer-se-tune-')), 'se');
    const r = bench(['--algos', 'filtered_bc', '--seeds', '1', '--tune', '--tune-seeds', '1', '--budget', '8', '--window', '4', '--eval-episodes', '2', '--jobs', '2', '--out', out,
      'agent_proxy.max_turn=3', 'algorithm.rollout_size=4']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'sample-efficiency.json'), 'utf8')) as {
      tuning: Record<string, { seeds: number[]; grid: { settings: string[]; evals: (number | null)[]; mean: number | null }[]; chosen: string[] }>;
      variants: Record<string, { settings: string[] }>;
      runs: { variant: string; seed: number; curve: { seconds?: number }[] }[];
      summaries: { algorithm: string; meanSeconds: number }[];
    };
    const t = result.tuning.filtered_bc!;
    expect(t.seeds).toEqual([101]);
    expect(t.grid.map((g) => g.settings)).toEqual([
      ['algorithm.lm_lr=2e-4', 'algorithm.actor_epochs=2'], ['algorithm.lm_lr=2e-4', 'algorithm.actor_epochs=4'],
      ['algorithm.lm_lr=5e-4', 'algorithm.actor_epochs=2'], ['algorithm.lm_lr=5e-4', 'algorithm.actor_epochs=4'],
    ]);
    const best = Math.max(...t.grid.map((g) => g.mean!));
    expect(t.grid.find((g) => g.mean === best)!.settings).toEqual(t.chosen);
    // The reported run trains with the chosen setting (last, so it wins), on seed 1 only.
    expect(result.variants.filtered_bc!.settings.slice(-2)).toEqual(t.chosen);
    expect(result.runs.map((x) => `${x.variant}-${x.seed}`)).toEqual(['filtered_bc-1']);
    // Every curve point carries its training seconds; the summary their per-run total.
    expect(result.runs[0]!.curve.every((p) => typeof p.seconds === 'number' && p.seconds > 0)).toBe(true);
    expect(result.summaries[0]!.meanSeconds).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/tuning \(final eval, mean of seeds 101/);
    const bad = bench(['--tune-seeds', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tune-seeds needs --tune/);
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
