import { describe, expect, it } from 'vitest';
import { labConfigFromHash, labConfigToHash, labDefaults } from './lab-config';
import { setValue } from '../../core/config';

describe('lab config in the URL hash', () => {
  it('is empty for the lab defaults and round-trips changed settings, including ones equal to the schema default', () => {
    expect(labConfigToHash(labDefaults())).toBe('');
    let c = setValue(labDefaults(), 'algorithm.critic_epochs', 3); // 3 is the schema default, 20 the lab's
    c = setValue(c, 'algorithm.tau', 0.05);
    c = setValue(c, 'archer.token_level', true);
    const hash = labConfigToHash(c);
    expect(hash).toContain('algorithm.critic_epochs=3');
    expect(labConfigFromHash(`#${hash}`)).toEqual(c);
  });

  it('names the key of a bad setting', () => {
    expect(() => labConfigFromHash('#algorithm.tau=7')).toThrow(/algorithm\.tau/);
    expect(() => labConfigFromHash('#algorithm.taux=0.1')).toThrow(/did you mean algorithm\.tau/);
  });
});
