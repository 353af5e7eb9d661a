import { describe, expect, it } from 'vitest';
import { defaultConfig, setValue } from './index';
import { diffConfig } from './diff';

describe('diffConfig', () => {
  it('is empty for equal configs', () => {
    expect(diffConfig(defaultConfig(), defaultConfig())).toEqual({ live: [], restart: [] });
  });

  it('sorts changed keys into live-safe and restart-only', () => {
    let c = defaultConfig();
    c = setValue(c, 'algorithm.lm_lr', 3e-4);
    c = setValue(c, 'algorithm.critic_epochs', 7);
    c = setValue(c, 'model.d_model', 128);
    c = setValue(c, 'seed', 5);
    const d = diffConfig(defaultConfig(), c);
    expect(d.live.sort()).toEqual(['algorithm.critic_epochs', 'algorithm.lm_lr']);
    expect(d.restart.sort()).toEqual(['model.d_model', 'seed']);
  });

  it('treats the environment and the replay capacity as restart-only', () => {
    let c = setValue(defaultConfig(), 'env.subset', 'subset10');
    c = setValue(c, 'algorithm.replay_buffer_capacity', 10);
    expect(diffConfig(defaultConfig(), c)).toEqual({ live: [], restart: ['env.subset', 'algorithm.replay_buffer_capacity'] });
  });
});
