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
