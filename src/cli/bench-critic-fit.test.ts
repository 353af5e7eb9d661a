import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('bench critic-fit', () => {
  it('fits only the critic on reference episodes and measures it on held-out ones with the instruments', () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'critic-fit', '--train-episodes', '6', '--test-episodes', '4', '--steps', '30', '--eval-every', '30', '--json',
      'algorithm.critic_lr=1e-2', 'algorithm.batch_size=16'], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bench critic-fit: \d+ training and \d+ held-out transitions/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    // first the ceiling: the expert's exact Q against information gain, a correlation
    const ceiling = lines.shift()!;
    expect(ceiling.ceiling).toBe('expert_q_rank_ig');
    expect(ceiling.states).toBeGreaterThan(0);
    expect(Math.abs(ceiling.mean!)).toBeLessThanOrEqual(1);
    const rows = lines;
    expect(rows.map((x) => x.step)).toEqual([0, 30]);
    for (const row of rows) {
      for (const key of ['critic/ev_v', 'critic/ev_q', 'critic/q_rank_ig', 'critic/q_spread', 'critic/v_spread', 'critic/v_bias']) expect(Number.isFinite(row[key]), key).toBe(true);
    }
    // The untrained critic sits near 0 against returns of about -8; 30 Monte Carlo steps at a high rate close most of that gap.
    expect(rows[0]!['critic/v_bias']).toBeGreaterThan(3);
    expect(Math.abs(rows[1]!['critic/v_bias']!)).toBeLessThan(rows[0]!['critic/v_bias']! / 2);
  });

  it('refuses WebShop, whose candidates it cannot score', () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'critic-fit', 'env.name=webshop'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Twenty Questions only/);
  });
});
