import { choiceFlag, intFlag, parseFlags, UsageError } from '../args';
import { SUBSETS, TwentyQuestionsEnv, type Subset } from '../../core/envs/twenty-questions/env';
import { makePolicy, POLICY_NAMES, type PolicyName } from '../../core/envs/twenty-questions/policies';
import { treeBound } from '../../core/envs/twenty-questions/bound';
import { evaluate } from '../../core/rollout/episode';
import { progressBar } from '../progress';
import { runWebShopEval } from './eval-webshop';

export const help = `eval --env twenty-questions --policy expert|random|noisy [--episodes N] [--seed S]
     [--subset full|subset10|archer10|archer157] [--max-turns N] [--epsilon E] [--json]
  Plays N seeded episodes with a scripted policy and reports meanReturn, successRate, meanTurns and
  invalidRate, beside the knowledge base's optimalBound. With --json the last line is one JSON object.
eval --env webshop [--policy rule|expert|all|none] [--models NAME=DIR,...] [--split train|test|all]
     [--episodes N] [--seed S] [--max-steps N] [--out DIR] [--json]
  WebShop's table: score (100 x mean reward), success rate and the reward's components per policy
  and per trained actor (--models: model folders, e.g. reference=public/models/webshop,apo=runs/a/actor,
  played through the agent's page view at temperature 1);
  --out DIR writes summary.csv, episodes.jsonl (one audit line an episode) and failures.json.`;

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values } = parseFlags('eval', argv, {
    env: { type: 'string' },
    policy: { type: 'string' },
    episodes: { type: 'string' },
    seed: { type: 'string' },
    subset: { type: 'string' },
    'max-turns': { type: 'string' },
    epsilon: { type: 'string' },
    json: { type: 'boolean' },
    split: { type: 'string' },
    'max-steps': { type: 'string' },
    out: { type: 'string' },
    models: { type: 'string' },
  });
  const envName = choiceFlag('eval', 'env', values.env, ['twenty-questions', 'webshop'] as const, 'twenty-questions');
  if (envName === 'webshop') {
    await runWebShopEval(values, out, err);
    return;
  }
  const policyName = choiceFlag<PolicyName>('eval', 'policy', values.policy, POLICY_NAMES);
  const episodes = intFlag('eval', 'episodes', values.episodes, 200, 1, 1_000_000);
  const seed = intFlag('eval', 'seed', values.seed, 0, 0, 2 ** 31 - 1);
  const subset = choiceFlag<Subset>('eval', 'subset', values.subset, SUBSETS, 'full');
  const maxTurns = intFlag('eval', 'max-turns', values['max-turns'], 20, 1, 50);
  let epsilon: number | undefined;
  if (values.epsilon !== undefined) {
    epsilon = Number(values.epsilon);
    if (!(epsilon >= 0 && epsilon <= 1)) throw new UsageError(`eval: --epsilon must lie in [0, 1], got "${values.epsilon}"`);
  }

  const env = new TwentyQuestionsEnv({ subset, maxTurns });
  const policy = makePolicy(policyName, env.kb, { epsilon });
  const bar = progressBar('eval', episodes, err);
  const { summary } = evaluate(env, policy, episodes, seed, (_e, i) => bar(i + 1));
  const bound = treeBound(env.kb, maxTurns);
  const result = { env: 'twenty-questions', subset, policy: policyName, seed, ...summary, optimalBound: bound.optimalBound };
  if (values.json) {
    out(JSON.stringify(result));
    return;
  }
  out(`${policyName} on Twenty Questions (${subset}), ${episodes} episodes, seed ${seed}`);
  out(`  mean return   ${summary.meanReturn.toFixed(3)} ± ${summary.seReturn.toFixed(3)} (s.e.)   optimalBound ${bound.optimalBound.toFixed(3)}`);
  out(`  success rate  ${(100 * summary.successRate).toFixed(1)}%`);
  out(`  mean turns    ${summary.meanTurns.toFixed(2)}`);
  out(`  invalid rate  ${(100 * summary.invalidRate).toFixed(1)}%`);
}
