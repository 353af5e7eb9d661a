import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('eval --env webshop', () => {
  it('tables rule and expert like WebShop and writes summary.csv, episodes.jsonl and failures.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-eval-'));
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'eval', '--env', 'webshop', '--policy', 'all', '--split', 'test', '--episodes', '20', '--seed', '4', '--out', dir, '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { rows: { policy: string; score: number; successRate: number }[] };
    const [rule, expert] = result.rows;
    expect(rule!.policy).toBe('rule');
    expect(expert!.score).toBeGreaterThan(rule!.score);
    expect(expert!.successRate).toBeGreaterThanOrEqual(0.8);
    const csv = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('policy,episodes,score,scoreSe,successRate,attribute,option,type,price,meanSteps,invalidRate');
    expect(csv).toHaveLength(3);
    const audit = readFileSync(join(dir, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toHaveLength(40);
    expect(audit[0]).toHaveProperty('instruction');
    expect((audit[0]!.actions as string[])[0]).toMatch(/^search\[/);
    const failures = JSON.parse(readFileSync(join(dir, 'failures.json'), 'utf8')) as Record<string, { cause: string; count: number }[]>;
    expect(failures.rule!.reduce((n, f) => n + f.count, 0)).toBe(20 - Math.round(rule!.successRate * 20));
  });

  it('evaluates trained actors (--models) through the agent view: the shipped reference plays the test split', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-eval-'));
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'eval', '--env', 'webshop', '--policy', 'none', '--models', 'reference=public/models/webshop', '--split', 'test', '--episodes', '6', '--seed', '4', '--out', dir, '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { rows: { policy: string; episodes: number; score: number }[] };
    expect(result.rows.map((x) => [x.policy, x.episodes])).toEqual([['reference', 6]]);
    const audit = readFileSync(join(dir, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { policy: string; actions: string[] });
    expect(audit).toHaveLength(6);
    expect(audit.every((a) => a.policy === 'reference' && a.actions[0]!.toLowerCase() === 'search')).toBe(true);
    // The same actor twice plays the same seeds with the same sampling stream: a paired difference of exactly 0.
    const twice = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'eval', '--env', 'webshop', '--policy', 'none', '--models', 'reference=public/models/webshop,again=public/models/webshop', '--split', 'test', '--episodes', '6', '--seed', '4'], { encoding: 'utf8', timeout: 120_000 });
    expect(twice.status, twice.stderr).toBe(0);
    expect(twice.stdout).toContain('again - reference: +0.00 points (paired s.e. 0.00, 6 seeds)');
    const bad = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'eval', '--env', 'webshop', '--models', 'public/models/webshop'], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--models takes name=DIR pairs');
  });

  it('rejects a bad split with exit code 2', () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'eval', '--env', 'webshop', '--split', 'dev'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/split/);
  });
});
