import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';
const TINY = ['model.d_model=16', 'model.n_layers=1', 'model.n_heads=2', 'critic.d_model=16'];

function cli(args: string[]) {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('WebShop and A*PO through the command line', () => {
  it('pretrains a WebShop reference, then trains A*PO and ArCHer from it, writing the WebShop tables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archer-ws-'));
    const ref = join(dir, 'ref');
    const p = cli(['pretrain', '--env', 'webshop', '--games', '6', '--epochs', '1', '--eval-episodes', '4', '--out', ref, '--json', ...TINY]);
    expect(p.code, p.stderr).toBe(0);
    const settings = ['algorithm.rollout_size=2', 'algorithm.batch_size=8', 'algorithm.actor_epochs=1', 'algorithm.critic_epochs=1',
      'algorithm.warmup_iterations=0', 'agent_proxy.max_turn=4', 'apo.num_prompts=2', 'apo.num_ref_samples=2', ...TINY];
    for (const algo of ['apo', 'archer']) {
      const out = join(dir, algo);
      const r = cli(['train', '--env', 'webshop', '--algo', algo, '--iterations', '2', '--init', ref, '--eval-every', '2', '--eval-episodes', '3', '--seed', '2', '--out', out, '--json', ...settings]);
      expect(r.code, r.stderr).toBe(0);
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
      expect(rows.map((x) => x.iteration)).toEqual([0, 1, 2]);
      expect(rows[0]!['eval/score']).toBeCloseTo(100 * rows[0]!['eval/return/mean']!, 10);
      if (algo === 'apo') {
        expect(rows[1]!['apo/reference_episodes']).toBe(4);
        expect(typeof rows[1]!['actor/apo_loss']).toBe('number');
      } else {
        expect(typeof rows[1]!['critic/q1/mean']).toBe('number');
      }
      const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toMatch(/^policy,episodes,score,scoreSe,success/);
      expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['reference', algo]);
      const audit = readFileSync(join(out, 'episodes.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { policy: string; instruction: string; actions: string[] });
      expect(audit).toHaveLength(3);
      expect(audit[0]!.policy).toBe(algo);
      expect(audit[0]!.instruction.length).toBeGreaterThan(10);
      const failures = JSON.parse(readFileSync(join(out, 'failures.json'), 'utf8')) as Record<string, unknown[]>;
      expect(Object.keys(failures)).toEqual(['reference', algo]);
      expect(existsSync(join(out, 'actor', 'model.json'))).toBe(true);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { algo: string; table: { policy: string }[]; final: { iteration: number } };
      expect(summary.algo).toBe(algo);
      expect(summary.final.iteration).toBe(2);
    }
  });

  it('refuses a reference from another environment, naming the fix', () => {
    const r = cli(['train', '--env', 'webshop', '--algo', 'apo', '--iterations', '1', '--init', 'public/models/twenty-questions-subset10', '--out', join(mkdtempSync(join(tmpdir(), 'archer-ws-')), 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("vocabulary is not this environment's (pretrain it with: npm run cli -- pretrain --env webshop)");
  });
});
