/**
 * `eval --env webshop`: scripted WebShop policies on a split, reported as WebShop's table does
 * (score = 100 x mean reward, success rate, reward components), with --out DIR for summary.csv,
 * episodes.jsonl (one audit line per episode) and failures.json (failed episodes by cause).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { choiceFlag, intFlag } from '../args';
import { WebShopEnv } from '../../core/envs/webshop/env';
import { makeWebShopPolicy, POLICY_NAMES } from '../../core/envs/webshop/policies';
import { auditRecord, failureAnalysis, pairedDifference, summarise, summaryCsv, type PairedDifference, type PolicySummary } from '../../core/envs/webshop/report';
import { evaluate, type Episode } from '../../core/rollout/episode';
import { progressBar } from '../progress';
import { UsageError } from '../args';
import { WebShopAgentEnv } from '../../core/envs/webshop/agent-env';
import { evaluateActor } from '../../core/agents/models';
import { Actor, type ActorConfig } from '../../core/models/actor';
import { Tokenizer } from '../../core/text/tokenizer';
import { Rng } from '../../core/util/rng';
import { useBackend } from '../../core/models/node-backends';
import { loadModel } from '../../storage/model-files';

type Split = 'train' | 'test' | 'all';

/** `--models name=DIR,name=DIR`: trained actors (model.json + weights.bin) to evaluate beside the scripted policies. */
export function parseModels(text: string | undefined): { name: string; dir: string }[] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const m = /^([\w.-]+)=(.+)$/.exec(part.trim());
    if (!m) throw new UsageError(`eval: --models takes name=DIR pairs separated by commas, got "${part}"`);
    return { name: m[1]!, dir: m[2]! };
  });
}

export async function runWebShopEval(values: Record<string, string | boolean | undefined>, out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const models = parseModels(values.models as string | undefined);
  const policies = values.policy === 'none' ? [] : values.policy === 'all' || values.policy === undefined ? [...POLICY_NAMES] : [choiceFlag('eval', 'policy', values.policy as string, POLICY_NAMES)];
  const episodes = intFlag('eval', 'episodes', values.episodes as string | undefined, 200, 1, 1_000_000);
  const seed = intFlag('eval', 'seed', values.seed as string | undefined, 0, 0, 2 ** 31 - 1);
  const split = choiceFlag<Split>('eval', 'split', values.split as string | undefined, ['train', 'test', 'all'], 'test');
  const maxSteps = intFlag('eval', 'max-steps', values['max-steps'] as string | undefined, 10, 1, 100);
  const rows: PolicySummary[] = [];
  const audit: Record<string, unknown>[] = [];
  const failures: Record<string, unknown> = {};
  const playedBy = new Map<string, Episode[]>();
  for (const name of policies) {
    const env = new WebShopEnv({ split, maxSteps });
    const policy = makeWebShopPolicy(name, env);
    const bar = progressBar(`eval ${name}`, episodes, err);
    const played: Episode[] = evaluate(env, policy, episodes, seed, (_e, i) => bar(i + 1)).episodes;
    rows.push(summarise(name, played));
    played.forEach((e, i) => audit.push(auditRecord(name, i, e)));
    failures[name] = failureAnalysis(played);
  }
  if (models.length > 0) await useBackend('wasm');
  for (const { name, dir } of models) {
    // A trained actor plays the agent's view of the shop (agent-env.ts), sampling at temperature 1 as in training.
    const { json, weights } = await loadModel(dir, 'actor');
    const actor = new Actor(Tokenizer.fromJSON(json.tokenizer), json.config as Partial<ActorConfig>, new Rng(seed ^ 0xac70));
    actor.setWeights(weights);
    const bar = progressBar(`eval ${name}`, episodes, err);
    const { episodes: played } = await evaluateActor(actor, () => new WebShopAgentEnv({ split, maxSteps }), episodes, seed, 1, 50, bar);
    actor.dispose();
    rows.push(summarise(name, played));
    playedBy.set(name, played);
    played.forEach((e, i) => audit.push(auditRecord(name, i, e)));
    failures[name] = failureAnalysis(played);
  }
  // Every policy plays the same seeds, so a model named `reference` gives each other model a paired difference.
  const baseline = playedBy.get('reference');
  const paired: PairedDifference[] = baseline ? models.filter((m) => m.name !== 'reference').map((m) => pairedDifference(m.name, playedBy.get(m.name)!, 'reference', baseline)) : [];
  if (typeof values.out === 'string') {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'summary.csv'), summaryCsv(rows));
    writeFileSync(join(values.out, 'episodes.jsonl'), audit.map((a) => JSON.stringify(a)).join('\n') + '\n');
    writeFileSync(join(values.out, 'failures.json'), `${JSON.stringify(failures, null, 1)}\n`);
  }
  if (values.json) {
    out(JSON.stringify({ env: 'webshop', split, seed, episodes, maxSteps, rows, paired, failures }));
    return;
  }
  out(`WebShop (${split} split), ${episodes} episodes each, seed ${seed}, at most ${maxSteps} steps`);
  out(`  policy    score   s.e.  success  attribute  option  type   price  steps`);
  for (const r of rows) {
    out(`  ${r.policy.padEnd(8)} ${r.score.toFixed(1).padStart(6)}  ${r.scoreSe.toFixed(2).padStart(5)}  ${(100 * r.successRate).toFixed(1).padStart(6)}%  ${r.attribute.toFixed(3).padStart(9)}  ${r.option.toFixed(3).padStart(6)}  ${r.type.toFixed(3)}  ${r.price.toFixed(3)}  ${r.meanSteps.toFixed(1)}`);
  }
  for (const p of paired) {
    out(`  ${p.policy} - ${p.baseline}: ${p.diff >= 0 ? '+' : ''}${p.diff.toFixed(2)} points (paired s.e. ${p.se.toFixed(2)}, ${p.episodes} seeds)`);
  }
  for (const [name, fa] of Object.entries(failures)) {
    const list = (fa as { cause: string; count: number }[]).map((f) => `${f.cause} ${f.count}`).join(', ');
    out(`  ${name} failures: ${list || 'none'}`);
  }
  if (typeof values.out === 'string') out(`  wrote ${values.out}/summary.csv, episodes.jsonl, failures.json`);
}
