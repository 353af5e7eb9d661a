import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('bench throughput (Node part)', () => {
  it('times the hot path on wasm and writes the table and JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'archer-tp-')), 'tp.json');
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'throughput', '--node', 'wasm', '--browser', 'none', '--repeats', '1', '--out', file,
      'agent_proxy.max_turn=2', 'algorithm.rollout_size=2', 'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1', 'algorithm.batch_size=4'], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node\s+\| wasm\s+\|\s+[\d.]+ \|/);
    const result = JSON.parse(readFileSync(file, 'utf8')) as { bench: string; rows: { where: string; backend: string; ran: string; iterationMs: number; criticStepMs: number }[]; settings: { rolloutSize: number } };
    expect(result.bench).toBe('throughput');
    expect(result.settings.rolloutSize).toBe(2);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ where: 'node', backend: 'wasm', ran: 'wasm' });
    expect(result.rows[0]!.iterationMs).toBeGreaterThan(0);
  });

  it('refuses an unknown backend', () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'throughput', '--browser', 'metal'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--browser takes cpu, wasm, webgl, webgpu or none, got "metal"/);
  });
});

const TINY = ['agent_proxy.max_turn=2', 'algorithm.rollout_size=2', 'algorithm.critic_epochs=1', 'algorithm.actor_epochs=1', 'algorithm.batch_size=4'];
const cli = (args: string[], timeout = 240_000) => spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'throughput', ...args], { encoding: 'utf8', timeout });

describe('bench throughput --profile and --baseline', () => {
  it('--profile prints where a rollout, a critic step and an actor step spend their time', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'archer-tp-')), 'profile.json');
    const r = cli(['--profile', '--node', 'wasm', '--out', file, ...TINY]);
    expect(r.status, r.stderr).toBe(0);
    for (const phase of ['rollout', 'critic step', 'actor step']) expect(r.stdout).toMatch(new RegExp(`^${phase}: [\\d.]+ ms wall`, 'm'));
    expect(r.stdout).toMatch(/^\s+Adam\s+\|/m);
    expect(r.stdout).toMatch(/by kind of op: .*matmul/);
    const result = JSON.parse(readFileSync(file, 'utf8')) as { rows: { backend: string; ran: string; profile: { phase: string; kernels: number }[] }[] };
    expect(result.rows[0]).toMatchObject({ backend: 'wasm', ran: 'wasm' });
    expect(result.rows[0]!.profile.map((p) => p.phase)).toEqual(['rollout', 'critic step', 'actor step']);
    expect(result.rows[0]!.profile.every((p) => p.kernels > 0)).toBe(true);
  });

  it('--baseline times a revision and the working tree in alternating fresh processes and prints the paired ratio', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'archer-tp-')), 'baseline.json');
    const r = cli(['--baseline', 'HEAD', '--rounds', '1', '--out', file, ...TINY], 400_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/round 1 of 1: HEAD \(base\)[\s\S]*round 1 of 1: working tree \(head\)/);
    expect(r.stdout).toMatch(/^iterationMs\s+\|\s+[\d.]+ \|\s+[\d.]+ \|\s+[\d.]+ \|/m);
    const result = JSON.parse(readFileSync(file, 'utf8')) as { bench: string; rounds: unknown[]; settingsDiffer: boolean; summary: { metric: string; ratio: number }[] };
    expect(result.bench).toBe('throughput-baseline');
    expect(result.rounds).toHaveLength(1);
    expect(result.settingsDiffer).toBe(false);
    expect(result.summary.find((s) => s.metric === 'iterationMs')!.ratio).toBeGreaterThan(0);
  }, 420_000);

  it('refuses what it cannot do', () => {
    expect(cli(['--baseline', 'no-such-revision-xyz']).stderr).toMatch(/--baseline "no-such-revision-xyz" is not a commit/);
    expect(cli(['--profile', '--browser', 'wasm']).stderr).toMatch(/--profile runs in Node only/);
    expect(cli(['--rounds', '2']).stderr).toMatch(/--rounds counts --baseline rounds/);
    expect(cli(['--baseline', 'HEAD', '--node', 'cpu,wasm']).stderr).toMatch(/--baseline times one backend/);
  });
});
