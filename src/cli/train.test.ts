import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';
const TINY = ['model.d_model=16', 'model.n_layers=1', 'model.n_heads=2', 'model.max_len=64', 'critic.d_model=16'];

function cli(args: string[]) {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonl(path: string): Record<string, number>[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number>);
}

describe('pretrain, train and resume through the command line', () => {
  it('pretrains a reference, trains from it, and resumes a run exactly where it was saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archer-cli-'));
    const ref = join(dir, 'ref');
    const p = cli(['pretrain', '--subset', 'subset10', '--games', '4', '--epochs', '1', '--eval-episodes', '4', '--out', ref, '--json', ...TINY]);
    expect(p.code, p.stderr).toBe(0);
    expect(existsSync(join(ref, 'model.json')) && existsSync(join(ref, 'weights.bin'))).toBe(true);
    const pre = JSON.parse(p.stdout.trim().split('\n').pop() as string) as { demonstrations: number; evaluation: { episodes: number } };
    expect(pre.demonstrations).toBeGreaterThan(4);
    expect(pre.evaluation.episodes).toBe(4);

    const run = join(dir, 'run');
    const common = ['--init', ref, '--eval-every', '1', '--eval-episodes', '4', '--save-every', '1', '--seed', '3', '--json'];
    const settings = ['env.subset=subset10', 'agent_proxy.max_turn=5', 'algorithm.rollout_size=2', 'algorithm.batch_size=4',
      'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1', 'algorithm.warmup_iterations=1', ...TINY];
    const first = cli(['train', '--env', 'twenty-questions', '--algo', 'archer', '--iterations', '2', '--out', run, ...common, ...settings]);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines.map((l) => l.iteration)).toEqual([0, 1, 2]);
    expect(first.stderr).toContain('train [');
    expect(typeof lines[2]?.['critic/q1/mean']).toBe('number');
    expect(typeof lines[2]?.['actor/pg_loss']).toBe('number');

    const resumed = cli(['train', '--iterations', '3', '--out', run, ...common]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming');
    const metrics = jsonl(join(run, 'metrics.jsonl'));
    expect(metrics.map((m) => m.iteration)).toEqual([0, 1, 2, 3]);
    expect(metrics.map((m) => m.trajectories)).toEqual([0, 2, 4, 6]);
    expect(metrics[3]?.['replay/size']).toBeGreaterThan(metrics[2]?.['replay/size'] as number);
    const episodes = jsonl(join(run, 'episodes.jsonl'));
    expect(episodes).toHaveLength(6);
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { iterations: number; trajectories: number; optimalBound: number };
    expect([summary.iterations, summary.trajectories]).toEqual([3, 6]);
    expect(summary.optimalBound).toBeLessThan(0);

    // A resume with other settings is refused rather than silently mixing runs.
    const clash = cli(['train', '--iterations', '4', '--out', run, ...common, 'algorithm.tau=0.5']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/other settings/);
  });

  it('dry-run prints the worked example digits', () => {
    const r = cli(['dry-run', '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout.trim()) as { printed: Record<string, string>; matches: boolean };
    expect(o.matches).toBe(true);
    expect([o.printed.total, o.printed.pgLoss, o.printed.qTarget1]).toEqual(['1.938', '0.230', '-0.685']);
  });
});

describe('train --algo ppo|grpo|filtered_bc (the on-policy baselines)', () => {
  it('trains each from the shipped reference and writes its metrics, summary and actor; refuses an estimator PPO cannot use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archer-base-'));
    const settings = ['env.subset=subset10', 'agent_proxy.max_turn=3', 'algorithm.rollout_size=2', 'algorithm.batch_size=8', 'algorithm.actor_epochs=1', 'grpo.group_size=2'];
    const expected: Record<string, string> = { ppo: 'critic/value_loss', grpo: 'actor/clip_frac', filtered_bc: 'actor/bc_loss' };
    for (const algo of ['ppo', 'grpo', 'filtered_bc']) {
      const out = join(dir, algo);
      const r = cli(['train', '--algo', algo, '--iterations', '1', '--eval-every', '1', '--eval-episodes', '2', '--seed', '4', '--out', out, '--json', ...settings]);
      expect(r.code, r.stderr).toBe(0);
      const rows = jsonl(join(out, 'metrics.jsonl'));
      expect(rows.map((m) => m.iteration)).toEqual([0, 1]);
      expect(typeof rows[1]?.[expected[algo]!], algo).toBe('number');
      expect(typeof rows[1]?.['eval/return/mean']).toBe('number');
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { algo: string; trajectories: number };
      expect([summary.algo, summary.trajectories]).toEqual([algo, 2]);
      expect(existsSync(join(out, 'actor', 'model.json'))).toBe(true);
    }
    const bad = cli(['train', '--algo', 'ppo', '--iterations', '1', '--out', join(dir, 'bad'), 'algorithm.adv_estimator=apo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/adv_estimator must be gae, bi_level_gae or archer/);
  });
});
