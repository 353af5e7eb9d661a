import { describe, expect, it } from 'vitest';
import { ExpertPolicy, beliefFrom, expertQValues } from './policies';
import { grammarFor } from './env';
import { policyQValues } from './policy-q';
import { TEST_KB } from './test-kb';

const expert = new ExpertPolicy(TEST_KB);
const expertBatch = async (states: string[]) => states.map((s) => expert.act(s));

describe("policyQValues (a policy's own Q by Monte Carlo)", () => {
  it("equals the expert's exact Q when the policy is the expert and every possible object is played equally often", async () => {
    const g = 0.9;
    const utterances = ['Is it a car?', 'Is it alive?', 'Does it have wheels?', 'Can it fly?', 'Is it an ant?', 'What is it?'];
    for (const obs of ['Questions:\n', 'Questions:\nIs it alive? No.\n', 'Questions:\nIs it alive? Yes.\nCan it fly? No.\n']) {
      const exact = expertQValues(TEST_KB, obs, utterances, g);
      const possible = beliefFrom(TEST_KB, grammarFor(TEST_KB), obs).candidates.length;
      // Rollout k plays the (k >> 1)-th possible object: 2 x possible rollouts play each one twice.
      const mc = await policyQValues(TEST_KB, obs, utterances, expertBatch, { rollouts: 2 * possible, gamma: g, batch: 5 });
      mc.q.forEach((q, i) => expect(q, `${obs} ${utterances[i]}`).toBeCloseTo(exact[i]!, 10));
      // The expert is deterministic and both halves play the same objects: they agree, and no noise is left.
      expect(mc.halves[0]).toEqual(mc.halves[1]);
      expect(mc.noiseStd).toBeGreaterThanOrEqual(0);
      expect(mc.games).toBeGreaterThan(0);
    }
  });

  it('refuses an odd number of rollouts and a state no object fits', async () => {
    await expect(policyQValues(TEST_KB, 'Questions:\n', ['Is it alive?'], expertBatch, { rollouts: 3, gamma: 0.9 })).rejects.toThrow(/even number/);
    await expect(policyQValues(TEST_KB, 'Questions:\nIs it alive? Yes.\nIs it alive? No.\n', ['Is it alive?'], expertBatch, { rollouts: 2, gamma: 0.9 })).rejects.toThrow(/no object is consistent/);
  });
});
