import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { FIELDS, defaultConfig } from './schema';
import { everyFieldChanged } from './test-fixtures';
import { YamlSyntaxError, configFromYaml, configToYaml } from './yaml';

describe('configToYaml', () => {
  it('writes nested YAML with a help comment before every field', () => {
    const text = configToYaml(defaultConfig());
    expect(text).toContain('algorithm:\n');
    expect(text).toMatch(/\n {2}tau: 0\.1\n/);
    expect(text).toMatch(/\n {4}grad_clip: 1\n/);
    const lines = text.split('\n');
    for (const f of FIELDS) {
      const i = lines.findIndex((l) => l.trim() === `# ${f.help}`);
      expect(i, f.key).toBeGreaterThanOrEqual(0);
      expect(lines[i + 1]?.trim().startsWith(`${f.key.split('.').pop()}:`), f.key).toBe(true);
    }
  });

  it('is plain, parseable YAML', () => {
    expect(parse(configToYaml(defaultConfig()))).toEqual(defaultConfig());
  });

  it('exports only schema fields even if the object carries extras', () => {
    const c = defaultConfig() as unknown as Record<string, unknown>;
    c.extra = 1;
    expect(configToYaml(c as never)).not.toContain('extra');
  });
});

describe('configFromYaml', () => {
  it('round-trips every field exactly, defaults and changed values alike', () => {
    expect(configFromYaml(configToYaml(defaultConfig()))).toEqual(defaultConfig());
    const changed = everyFieldChanged();
    expect(configFromYaml(configToYaml(changed))).toEqual(changed);
  });

  it('fills defaults for a partial document and for an empty one', () => {
    const c = configFromYaml('algorithm:\n  tau: 0.05\n  lm_lr: 3e-6\nenv:\n  name: webshop\n');
    expect(c.algorithm.tau).toBe(0.05);
    expect(c.algorithm.lm_lr).toBe(3e-6);
    expect(c.env.name).toBe('webshop');
    expect(c.algorithm.gamma).toBe(0.99);
    expect(configFromYaml('')).toEqual(defaultConfig());
    expect(configFromYaml('# just a comment\n')).toEqual(defaultConfig());
  });

  it('throws ConfigError naming the key for unknown keys, wrong types and bad values', () => {
    expect(() => configFromYaml('algorithm:\n  taux: 0.1\n')).toThrow(
      new ConfigError('algorithm.taux', 'unknown key (did you mean algorithm.tau?)'),
    );
    expect(() => configFromYaml('seed: abc\n')).toThrow('seed: expected a number, got "abc"');
    expect(() => configFromYaml('algorithm:\n  tau: "0.1"\n')).toThrow('algorithm.tau: expected a number, got "0.1"');
    expect(() => configFromYaml('algorithm:\n  tau: .inf\n')).toThrow('algorithm.tau: expected a finite number, got Infinity');
    expect(() => configFromYaml('algorithm:\n  batch_size: 3.5\n')).toThrow('algorithm.batch_size: expected an integer, got 3.5');
    expect(() => configFromYaml('env:\n  name: foo\n')).toThrow("env.name: 'foo' is not one of twenty-questions, webshop");
    expect(() => configFromYaml('algorithm: 3\n')).toThrow(ConfigError);
    expect(() => configFromYaml('- 1\n- 2\n')).toThrow(ConfigError);
  });

  it('turns YAML syntax errors into an error carrying the line number', () => {
    const text = 'seed: 1\nalgorithm:\n  tau: [0.1\nenv:\n  name: webshop\n';
    let err: unknown;
    try {
      configFromYaml(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YamlSyntaxError);
    expect(err).toBeInstanceOf(Error);
    const e = err as YamlSyntaxError;
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(new RegExp(`^YAML syntax error at line ${e.line}, column \\d+: \\S`));
  });

  it('reports duplicate keys as a syntax error on their line', () => {
    expect(() => configFromYaml('seed: 1\nseed: 2\n')).toThrow(/^YAML syntax error at line 2, column 1: Map keys must be unique/);
  });
});
