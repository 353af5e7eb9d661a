/**
 * Flag parsing for the command line: Node's strict parseArgs, with every mistake turned into a
 * UsageError (exit code 2) whose message says what was wrong and how to ask for help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseFlags(command: string, argv: string[], options: Options, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message.replace(/\. To specify a positional.*$/s, '') : String(err);
    throw new UsageError(`${command}: ${msg} (see: npm run cli -- help ${command})`);
  }
}

/** A flag that must be a whole number within [min, max]. */
export function intFlag(command: string, name: string, raw: string | boolean | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const n = Number(text);
  if (text === '' || !Number.isInteger(n)) throw new UsageError(`${command}: --${name} must be a whole number, got "${raw}"`);
  if (n < min || n > max) throw new UsageError(`${command}: --${name} must lie in [${min}, ${max}], got ${n}`);
  return n;
}

/** A flag whose value must be one of a fixed list. */
export function choiceFlag<T extends string>(command: string, name: string, raw: string | boolean | undefined, choices: readonly T[], fallback?: T): T {
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`${command}: --${name} is required (one of ${choices.join(', ')})`);
    return fallback;
  }
  if (!choices.includes(raw as T)) throw new UsageError(`${command}: --${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}
