/** Which settings differ between two configs, and whether a running trainer can take them live. */
import { FIELDS, type Config } from './schema';
import { flattenConfig } from './flat';

export interface ConfigDiff {
  /** Changed keys the trainer picks up at its next iteration. */
  live: string[];
  /** Changed keys that need a new run (model sizes, environment, seed, buffer capacity ...). */
  restart: string[];
}

export function diffConfig(before: Config, after: Config): ConfigDiff {
  const a = flattenConfig(before);
  const b = flattenConfig(after);
  const out: ConfigDiff = { live: [], restart: [] };
  for (const f of FIELDS) {
    if (a[f.key] === b[f.key]) continue;
    ((f as { live?: boolean }).live ? out.live : out.restart).push(f.key);
  }
  return out;
}

/** The live keys that change from `before` to `after`; throws, naming them, when any change needs a new run. */
export function liveChanges(before: Config, after: Config): string[] {
  const { live, restart } = diffConfig(before, after);
  if (restart.length > 0) throw new Error(`${restart.join(', ')} cannot change while a run trains: start a new run`);
  return live;
}
