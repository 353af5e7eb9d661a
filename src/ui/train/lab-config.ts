/**
 * The lab's run settings: its out-of-the-box defaults and the URL hash that shares them.
 * The hash lists `key=value` for every setting that differs from the lab's defaults, so a link
 * reproduces a run's settings exactly.
 */
import { applyOverrides, defaultConfig, flattenConfig, type Config } from '../../core/config';

/** The 10-object game with small rollouts: the settings that learned within minutes in Node. */
export function labDefaults(): Config {
  const c = defaultConfig();
  c.env.subset = 'subset10';
  c.algorithm.rollout_size = 16;
  c.algorithm.critic_epochs = 10;
  c.algorithm.actor_epochs = 2;
  c.algorithm.warmup_iterations = 5;
  c.algorithm.lm_lr = 2e-4;
  c.algorithm.gamma = 0.95;
  return c;
}

export function labConfigToHash(config: Config): string {
  const base = flattenConfig(labDefaults());
  return Object.entries(flattenConfig(config))
    .filter(([k, v]) => base[k] !== v)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** Settings from a hash over the lab's defaults; a bad key or value throws a ConfigError naming it. */
export function labConfigFromHash(hash: string): Config {
  const parts = hash.replace(/^#/, '').split('&').filter(Boolean).map(decodeURIComponent);
  return applyOverrides(labDefaults(), parts);
}
