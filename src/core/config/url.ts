import { ConfigError } from './errors';
import { flattenConfig, unflatten } from './flat';
import { parseOverride } from './overrides';
import { FIELDS, type Config } from './schema';
import { validateConfig } from './validate';

/** `algorithm.tau=0.05&seed=3`: only the fields that differ from their defaults, in table order. */
export function configToHash(config: Config): string {
  const flat = flattenConfig(config);
  return FIELDS.filter((f) => flat[f.key] !== f.default)
    .map((f) => `${encodeURIComponent(f.key)}=${encodeURIComponent(String(flat[f.key]))}`)
    .join('&');
}

/** Reads a hash written by configToHash (leading `#` allowed; missing keys take defaults). */
export function configFromHash(hash: string): Config {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const flat: Record<string, unknown> = {};
  for (const part of body.split('&')) {
    if (!part) continue;
    const { key, value } = parseOverride(decode(part));
    if (Object.hasOwn(flat, key)) throw new ConfigError(key, 'given twice in the URL hash');
    flat[key] = value;
  }
  return validateConfig(unflatten(flat));
}

/** Decodes `key=value` percent-escapes separately so an encoded `=` stays inside the value. */
function decode(part: string): string {
  const eq = part.indexOf('=');
  const [rawKey, rawValue] = eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
  const safe = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConfigError(rawKey, `bad percent-encoding in ${JSON.stringify(part)}`);
    }
  };
  return rawValue === undefined ? safe(rawKey) : `${safe(rawKey)}=${safe(rawValue)}`;
}
