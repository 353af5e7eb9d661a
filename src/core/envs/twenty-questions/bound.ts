/**
 * The best expected return a knowledge base allows, as far as the expert's greedy tree finds it:
 * the expert plays against every object once (the hidden object is uniform), so the average is
 * exact, not sampled. Reported beside every Twenty Questions result as `optimalBound`.
 */
import type { KnowledgeBase } from './kb';
import { TwentyQuestionsEnv } from './env';
import { ExpertPolicy } from './policies';

export interface TreeBound {
  /** Expected return of the expert's tree under a uniform hidden object. */
  optimalBound: number;
  successRate: number;
  meanTurns: number;
  maxTurnsUsed: number;
  /** Information-theoretic floor on questions: log2(objects). */
  log2Objects: number;
}

const cache = new WeakMap<KnowledgeBase, Map<number, TreeBound>>();

export function treeBound(kb: KnowledgeBase, maxTurns = 20): TreeBound {
  const hit = cache.get(kb)?.get(maxTurns);
  if (hit) return hit;
  const env = new TwentyQuestionsEnv({ kb, maxTurns });
  const expert = new ExpertPolicy(kb);
  let total = 0;
  let turns = 0;
  let longest = 0;
  let wins = 0;
  for (let o = 0; o < kb.objects.length; o++) {
    let { obs } = env.resetTo(o);
    for (;;) {
      const r = env.step(expert.act(obs));
      total += r.reward;
      obs = r.obs;
      if (r.terminated || r.truncated) {
        turns += r.info.turn;
        longest = Math.max(longest, r.info.turn);
        if (r.info.correct) wins += 1;
        break;
      }
    }
  }
  const n = kb.objects.length;
  const bound: TreeBound = {
    optimalBound: total / n,
    successRate: wins / n,
    meanTurns: turns / n,
    maxTurnsUsed: longest,
    log2Objects: Math.log2(n),
  };
  if (!cache.has(kb)) cache.set(kb, new Map());
  cache.get(kb)?.set(maxTurns, bound);
  return bound;
}
