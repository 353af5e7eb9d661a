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

  it("with --policy-q, measures the reference's own Q by playing it out, and how the critic (here reading turns) ranks against it", () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'critic-fit', '--train-episodes', '4', '--test-episodes', '3', '--steps', '10', '--eval-every', '10', '--json',
      '--policy-q', '2', '--policy-q-states', '1', 'critic.encoder=turns', 'algorithm.batch_size=16'], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the reference's own Q at 1 of 1 states \(\d+ games/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
    const pq = lines.find((l) => l.ceiling === 'reference_q')!;
    expect(pq.states).toBe(1);
    expect(pq.rollouts).toBe(2);
    expect(pq.games as number).toBeGreaterThan(100); // about 195 candidate questions x 2 games, less those that end the game at once
    for (const k of ['rank_ig', 'split_half']) expect(Math.abs(pq[k] as number), k).toBeLessThanOrEqual(1);
    expect(pq.noise_std as number).toBeGreaterThan(0);
    const rows = lines.filter((l) => typeof l.step === 'number');
    expect(rows.map((x) => x.step)).toEqual([0, 10]);
    for (const row of rows) expect(Math.abs(row['critic/q_rank_policy_q'] as number)).toBeLessThanOrEqual(1);
    const odd = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'critic-fit', '--policy-q', '3'], { encoding: 'utf8' });
    expect(odd.status).toBe(2);
    expect(odd.stderr).toMatch(/--policy-q must be even/);
  });

  it('refuses WebShop, whose candidates it cannot score', () => {
    const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'bench', 'critic-fit', 'env.name=webshop'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Twenty Questions only/);
  });
});
