import { Document, isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { flattenConfig, unflatten } from './flat';
import { getField, type Config } from './schema';
import { validateConfig } from './validate';

/** A YAML document that does not parse; `line` and `column` are 1-based. */
export class YamlSyntaxError extends Error {
  override readonly name = 'YamlSyntaxError';

  constructor(
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super(`YAML syntax error at line ${line}, column ${column}: ${reason}`);
  }
}

const HEADER = ' archer-lab config. Every key is optional: a missing key takes its default.';

/** Nested YAML of every field, each preceded by a `# help` comment line. Parses back losslessly. */
export function configToYaml(config: Config): string {
  // Rebuilt from the field table so stray properties on `config` never get exported.
  const doc = new Document(unflatten(flattenConfig(config)));
  doc.commentBefore = HEADER;
  if (isMap(doc.contents)) annotate(doc.contents, '');
  return doc.toString({ lineWidth: 0 });
}

function annotate(map: YAMLMap, prefix: string): void {
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = prefix ? `${prefix}.${String(pair.key.value)}` : String(pair.key.value);
    if (isMap(pair.value)) annotate(pair.value, key);
    else pair.key.commentBefore = ` ${getField(key)?.help ?? ''}`;
  }
}

/**
 * Parses and validates a YAML config (missing keys take defaults; an empty document gives the
 * defaults). Throws YamlSyntaxError with the line for bad YAML, ConfigError for bad settings.
 */
export function configFromYaml(text: string): Config {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlSyntaxError(pos.line, pos.col, reason);
  }
  const data: unknown = doc.toJS();
  return validateConfig(data ?? {});
}
