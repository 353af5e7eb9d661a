import { describe, expect, it } from 'vitest';
import { collectEpisodes } from './collect';
import { TwentyQuestionsEnv } from '../envs/twenty-questions/env';
import { ExpertPolicy } from '../envs/twenty-questions/policies';

describe('collectEpisodes', () => {
  it('plays games in lockstep and gives the same episodes as playing them one by one', async () => {
    const expert = new ExpertPolicy(new TwentyQuestionsEnv().kb);
    const seeds = [1, 2, 3, 4, 5, 6];
    const batched = await collectEpisodes(() => new TwentyQuestionsEnv(), seeds, async (states) => states.map((s) => expert.act(s)));
    expect(batched.episodes.map((e) => e.seed)).toEqual(seeds);
    for (const [i, seed] of seeds.entries()) {
      const e = new TwentyQuestionsEnv();
      let { obs } = e.reset(seed);
      const actions: string[] = [];
      for (;;) {
        const a = expert.act(obs);
        actions.push(a);
        const r = e.step(a);
        obs = r.obs;
        if (r.terminated || r.truncated) break;
      }
      expect(batched.episodes[i]?.steps.map((s) => s.action)).toEqual(actions);
    }
  });

  it('records utterance-level transitions (s, a, r, s\', done) with done = terminated', async () => {
    const { transitions, episodes } = await collectEpisodes(() => new TwentyQuestionsEnv({ maxTurns: 3 }), [9], async (states) => states.map(() => 'Is it alive?'));
    expect(transitions).toHaveLength(3);
    expect(transitions[0]?.state).toBe('Questions:\n');
    expect(transitions[1]?.state).toBe(transitions[0]?.nextState);
    expect(transitions.map((t) => t.reward)).toEqual([-1, -1, -1]);
    // Cut by the turn limit: truncated, not terminated, so the last transition bootstraps.
    expect(transitions.map((t) => t.done)).toEqual([false, false, false]);
    expect(episodes[0]?.truncated).toBe(true);
    expect(episodes[0]?.return).toBe(-3);
  });

  it('with cutIsDone stores only the step-limit cut as done; a finished episode is unchanged', async () => {
    const cut = await collectEpisodes(() => new TwentyQuestionsEnv({ maxTurns: 3 }), [9], async (states) => states.map(() => 'Is it alive?'), 10, { cutIsDone: true });
    expect(cut.episodes[0]?.truncated).toBe(true);
    expect(cut.transitions.map((t) => t.done)).toEqual([false, false, true]);
    expect(cut.transitions.map((t) => [t.episode, t.turn])).toEqual([[10, 0], [10, 1], [10, 2]]);
    const expert = new ExpertPolicy(new TwentyQuestionsEnv().kb);
    const plain = await collectEpisodes(() => new TwentyQuestionsEnv(), [4], async (states) => states.map((s) => expert.act(s)));
    const flagged = await collectEpisodes(() => new TwentyQuestionsEnv(), [4], async (states) => states.map((s) => expert.act(s)), 0, { cutIsDone: true });
    expect(plain.episodes[0]?.terminated).toBe(true);
    expect(flagged.transitions).toEqual(plain.transitions); // only the last transition is done, as collected
    expect(flagged.transitions.map((t) => t.done).filter(Boolean)).toHaveLength(1);
  });
});
