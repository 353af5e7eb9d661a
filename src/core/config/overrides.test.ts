import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { flattenConfig } from './flat';
import { applyOverrides, parseOverride } from './overrides';
import { defaultConfig } from './schema';

function errorOf(text: string): ConfigError {
  try {
    parseOverride(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('parseOverride', () => {
  it('parses number fields from any finite literal', () => {
    expect(parseOverride('algorithm.tau=0.05')).toEqual({ key: 'algorithm.tau', value: 0.05 });
    expect(parseOverride('algorithm.lm_lr=3e-6').value).toBe(3e-6);
    expect(parseOverride('algorithm.gamma=.9').value).toBe(0.9);
    expect(parseOverride('algorithm.gamma=1').value).toBe(1);
    expect(parseOverride(' algorithm.tau = 0.2 ').value).toBe(0.2);
  });

  it('parses int fields, allowing integral scientific notation', () => {
    expect(parseOverride('seed=3')).toEqual({ key: 'seed', value: 3 });
    expect(parseOverride('algorithm.replay_buffer_capacity=1e5').value).toBe(100000);
    expect(parseOverride('algorithm.batch_size=64.0').value).toBe(64);
    expect(errorOf('algorithm.batch_size=3.5').message).toBe('algorithm.batch_size: expected an integer, got 3.5');
    expect(errorOf('algorithm.batch_size=2.5e0').message).toBe('algorithm.batch_size: expected an integer, got 2.5');
  });

  it('parses booleans from true/false/1/0/yes/no', () => {
    for (const [text, value] of [['true', true], ['1', true], ['yes', true], ['YES', true], ['false', false], ['0', false], ['no', false]] as const) {
      expect(parseOverride(`agent_proxy.use_turn_scores=${text}`).value, text).toBe(value);
    }
    expect(errorOf('agent_proxy.use_turn_scores=maybe').message).toBe(
      'agent_proxy.use_turn_scores: expected true/false/yes/no/1/0, got "maybe"',
    );
  });

  it('takes enum values raw (one pair of quotes removed) and checks them', () => {
    expect(parseOverride('env.name=webshop')).toEqual({ key: 'env.name', value: 'webshop' });
    expect(parseOverride("algorithm.name='apo'").value).toBe('apo');
    expect(parseOverride('algorithm.adv_estimator="gae"').value).toBe('gae');
    expect(errorOf('env.name=foo').message).toBe("env.name: 'foo' is not one of twenty-questions, webshop");
  });

  it('rejects non-numbers, non-finite values and out-of-range values without clamping', () => {
    expect(errorOf('seed=abc').message).toBe('seed: expected a number, got "abc"');
    expect(errorOf('algorithm.tau=').message).toBe('algorithm.tau: expected a number, got ""');
    expect(errorOf('algorithm.tau=0x10').key).toBe('algorithm.tau');
    expect(errorOf('algorithm.tau=Infinity').message).toBe('algorithm.tau: expected a number, got "Infinity"');
    expect(errorOf('algorithm.tau=1e400').message).toBe('algorithm.tau: expected a finite number, got Infinity');
    expect(errorOf('algorithm.tau=1.5').message).toBe('algorithm.tau: 1.5 is above the maximum 1');
    expect(errorOf('algorithm.tau=-0.5').message).toBe('algorithm.tau: -0.5 is below the minimum 0');
    expect(errorOf('actor_rollout_ref.rollout.temperature=0').message).toBe(
      'actor_rollout_ref.rollout.temperature: 0 is below the minimum 0.01',
    );
  });

  it('rejects unknown keys with a suggestion, sections, and malformed overrides', () => {
    expect(errorOf('algorithm.taux=0.1').message).toBe('algorithm.taux: unknown key (did you mean algorithm.tau?)');
    expect(errorOf('+algorithm.tau=0.1').message).toBe('+algorithm.tau: unknown key (did you mean algorithm.tau?)');
    expect(errorOf('algorithm=1').key).toBe('algorithm');
    const noEq = errorOf('foo');
    expect(noEq.key).toBe('foo');
    expect(noEq.message).toBe('foo: malformed override "foo": expected key=value');
    expect(errorOf('=3').message).toMatch(/missing key/);
  });

  it('splits at the first = only', () => {
    expect(errorOf('env.name=a=b').message).toBe("env.name: 'a=b' is not one of twenty-questions, webshop");
  });
});

describe('applyOverrides', () => {
  it('applies overrides in order and returns a new config', () => {
    const base = defaultConfig();
    const next = applyOverrides(base, ['algorithm.tau=0.05', 'seed=3', 'env.name=webshop', 'seed=4']);
    expect(next.algorithm.tau).toBe(0.05);
    expect(next.seed).toBe(4);
    expect(next.env.name).toBe('webshop');
    expect(base).toEqual(defaultConfig());
    expect(flattenConfig(applyOverrides(base, []))).toEqual(flattenConfig(base));
  });

  it('throws the ConfigError of the first bad override', () => {
    expect(() => applyOverrides(defaultConfig(), ['seed=1', 'algorithm.gamma=2'])).toThrow(
      'algorithm.gamma: 2 is above the maximum 1',
    );
  });
});
