/**
 * The lab's run settings: its out-of-the-box defaults and the URL hash that shares them.
 * The hash lists `key=value` for every setting that differs from the lab's defaults, so a link
 * reproduces a run's settings exactly.
 */
import { applyOverrides, flattenConfig, labDefaults, type Config } from '../../core/config';

/** The lab's out-of-the-box settings (core/config/lab-defaults.ts: the benchmarks use them too). */
export { labDefaults };

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
