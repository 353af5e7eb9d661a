import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { transitionReturns } from './diagnostics';
import { disposeTrainer, tinyConfig, tinyTrainer } from './test-support';
import type { Transition } from '../../replay/replay-buffer';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const t = (episode: number, turn: number, reward: number): Transition => ({ state: `s${episode}.${turn}`, action: 'a', reward, nextState: '', done: false, episode, turn });

describe('transitionReturns', () => {
  it('discounts within each episode, whatever the interleaving of the batched rollout', () => {
    // Two games played in lockstep: episode 7 ends after 2 turns with a win, episode 8 runs 3 turns.
    const ts = [t(7, 0, -1), t(8, 0, -1), t(7, 1, 0), t(8, 1, -1), t(8, 2, -1)];
    // gamma 0.5: episode 7: G1 = 0, G0 = -1; episode 8: G2 = -1, G1 = -1.5, G0 = -1.75
    expect(transitionReturns(ts, 0.5)).toEqual([-1, -1.75, 0, -1.5, -1]);
  });
  it("gives an episode's tail (its oldest turns overwritten in the ring buffer) its exact returns", () => {
    expect(transitionReturns([t(3, 2, -1), t(3, 3, -1)], 0.9)).toEqual([-1.9, -1]);
  });
  it('refuses transitions without their episode', () => {
    expect(() => transitionReturns([{ state: 's', action: 'a', reward: -1, nextState: '', done: false }], 0.9)).toThrow(/episode of every transition/);
  });
});

const withCandidates = (overrides: string[]) => tinyTrainer(tinyConfig(overrides), true);

describe('ArCHer critic instruments (trainer.diagnostics)', () => {
  it('logs explained variance, value bias, Q spread and the rank agreement with information gain every iteration', async () => {
    const trainer = withCandidates([]);
    const r = await trainer.step();
    for (const key of ['critic/ev_v', 'critic/ev_q', 'critic/v_bias', 'critic/mc_return/mean', 'critic/v_spread', 'critic/q_spread', 'critic/q_rank_ig', 'rollout/repeat_rate', 'perf/diagnostics_ms']) {
      expect(Number.isFinite(r.metrics[key]), key).toBe(true);
    }
    expect(Math.abs(r.metrics['critic/q_rank_ig']!)).toBeLessThanOrEqual(1);
    expect(r.metrics['critic/ev_v']!).toBeLessThanOrEqual(1);
    // returns of -1-a-turn games of at most 4 turns lie in [-4, 0]
    expect(r.metrics['critic/mc_return/mean']!).toBeLessThanOrEqual(0);
    expect(r.metrics['critic/mc_return/mean']!).toBeGreaterThanOrEqual(-4);
    expect(r.metrics['actor/advantage/pos_frac']!).toBeGreaterThanOrEqual(0);
    disposeTrainer(trainer);
  });

  it('leave the run as it is: the same returns and weights with the instruments on and off', async () => {
    const on = withCandidates(['trainer.diagnostics=true']);
    const off = withCandidates(['trainer.diagnostics=false']);
    for (let i = 0; i < 2; i++) {
      const [a, b] = [await on.step(), await off.step()];
      expect(a.metrics['rollout/return/mean']).toBe(b.metrics['rollout/return/mean']);
      expect(b.metrics['critic/ev_v']).toBeUndefined();
    }
    const [wa, wb] = [on.critic.getWeights(), off.critic.getWeights()];
    for (const k of Object.keys(wa)) expect(Array.from(wa[k]!.data), k).toEqual(Array.from(wb[k]!.data));
    disposeTrainer(on);
    disposeTrainer(off);
  });
});
