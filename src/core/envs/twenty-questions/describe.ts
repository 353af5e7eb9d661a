import { knowledgeBaseFor, type Subset } from './env';
import { vectorKey } from './kb';
import { treeBound } from './bound';

export interface TwentyQuestionsDescription {
  env: 'twenty-questions';
  subset: Subset;
  objects: number;
  categories: number;
  attributes: number;
  uniqueVectors: boolean;
  optimalBound: number;
  successRate: number;
  meanTurns: number;
  maxTurnsUsed: number;
  log2Objects: number;
  maxTurns: number;
}

export function describeTwentyQuestions(subset: Subset, maxTurns = 20): TwentyQuestionsDescription {
  if (!Number.isInteger(maxTurns) || maxTurns < 1) throw new Error(`maxTurns must be a positive integer, got ${maxTurns}`);
  const kb = knowledgeBaseFor(subset);
  const keys = new Set(kb.objects.map((_, i) => vectorKey(kb, i)));
  const bound = treeBound(kb, maxTurns);
  return {
    env: 'twenty-questions',
    subset,
    objects: kb.objects.length,
    categories: kb.categories.length,
    attributes: kb.attributes.length,
    uniqueVectors: keys.size === kb.objects.length,
    optimalBound: bound.optimalBound,
    successRate: bound.successRate,
    meanTurns: bound.meanTurns,
    maxTurnsUsed: bound.maxTurnsUsed,
    log2Objects: bound.log2Objects,
    maxTurns,
  };
}
