/**
 * `bench critic-fit`: can ArCHer's critic learn what the actor needs, with the RL loop taken away?
 * Plays episodes of Twenty Questions with the shipped reference policy (a fixed data set, as after a
 * long warm-up), then trains only the critic on them for --steps steps (Monte Carlo targets, or the
 * paper's bootstrapped ones with a^pi from the reference actor) and, every --eval-every steps,
 * measures it on held-out episodes with the trainer's own instruments (diagnostics.ts): explained
 * variance of V and Q against the Monte Carlo returns, and the rank agreement of Q with the expert's
 * information gain over every candidate question. Settings (critic.n_layers, critic.joint_encoding,
 * algorithm.critic_lr, ...) are the config's dotted keys, so every critic the trainer can build is
 * measured the same way.
 */
import { join } from 'node:path';
import { choiceFlag, intFlag, parseFlags, UsageError } from '../args';
import { applyOverrides, defaultConfig } from '../../core/config';
import { TwentyQuestionsEnv, knowledgeBaseFor } from '../../core/envs/twenty-questions/env';
import { modelTokenizerFor } from '../../core/envs/twenty-questions/corpus';
import { ArcherTrainer } from '../../core/algos/archer/trainer';
import { transitionReturns } from '../../core/algos/archer/diagnostics';
import { createActor, createCritic } from '../../core/agents/models';
import { candidateScorer } from '../../core/envs/make-env';
import { collectEpisodes } from '../../core/rollout/collect';
import { actorPolicy } from '../../core/rollout/actor-policy';
import { episodeSeeds } from '../../core/rollout/episode';
import { useBackend, type NodeBackend } from '../../core/models/node-backends';
import { Rng } from '../../core/util/rng';
import { loadModel } from '../../storage/model-files';
import { stats } from '../../core/metrics/stats';
import { spearman } from '../../core/metrics/critic-quality';
import { expertQValues } from '../../core/envs/twenty-questions/policies';
import { policyQValues } from '../../core/envs/twenty-questions/policy-q';

export const help = `bench critic-fit [--train-episodes N] [--test-episodes M] [--steps K] [--eval-every E] [--targets mc|td] [--policy-q R] [--policy-q-states P] [--seed S] [--backend wasm|cpu] [--json] [key=value ...]
  Trains only ArCHer's critic on N (320) episodes of the shipped reference policy for K (600) steps
  with Monte Carlo (default) or bootstrapped targets, and every E (100) steps measures it on M (100)
  held-out episodes: explained variance of V and Q against their returns, Q's rank agreement with the
  expert's information gain over every candidate question, and Q's spread across candidates against
  V's across states. First, on games of at most 20 objects, the instrument's ceiling: how the expert's
  exact Q ranks the same candidates. With --policy-q R, also the reference policy's own Q at P (4)
  held-out states, by R (even) games per candidate question (policyQValues): how it ranks the
  candidates against information gain, how well two halves of its games agree on that ranking, and,
  at every measurement, how the critic's Q ranks them against it (rank_pq). Defaults: the lab's
  game and critic (env.subset=subset10, gamma 0.95).`;

export async function run(argv: string[], out: (line: string) => void, err: (text: string) => void): Promise<void> {
  const { values, positionals } = parseFlags('bench critic-fit', argv, {
    'train-episodes': { type: 'string' }, 'test-episodes': { type: 'string' }, steps: { type: 'string' }, 'eval-every': { type: 'string' },
    targets: { type: 'string' }, 'policy-q': { type: 'string' }, 'policy-q-states': { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' },
  }, true);
  const trainN = intFlag('bench critic-fit', 'train-episodes', values['train-episodes'], 320, 1, 100_000);
  const testN = intFlag('bench critic-fit', 'test-episodes', values['test-episodes'], 100, 1, 100_000);
  const steps = intFlag('bench critic-fit', 'steps', values.steps, 600, 0, 1_000_000);
  const every = intFlag('bench critic-fit', 'eval-every', values['eval-every'], 100, 1, 1_000_000);
  const seed = intFlag('bench critic-fit', 'seed', values.seed, 0, 0, 2 ** 31 - 1);
  const policyQRollouts = intFlag('bench critic-fit', 'policy-q', values['policy-q'], 0, 0, 10_000);
  if (policyQRollouts % 2 !== 0) throw new UsageError(`bench critic-fit: --policy-q must be even (its games come in two halves), got ${policyQRollouts}`);
  const policyQStates = intFlag('bench critic-fit', 'policy-q-states', values['policy-q-states'], 4, 1, 1000);
  const targets = choiceFlag('bench critic-fit', 'targets', values.targets, ['mc', 'td'] as const, 'mc');
  const backend = choiceFlag<NodeBackend>('bench critic-fit', 'backend', values.backend, ['wasm', 'cpu'], 'wasm');
  const config = applyOverrides(defaultConfig(), ['env.subset=subset10', 'algorithm.gamma=0.95', `seed=${seed}`, 'algorithm.actor_epochs=0', ...positionals]);
  if (config.env.name !== 'twenty-questions') throw new UsageError('bench critic-fit: Twenty Questions only (its candidates are scored by information gain)');
  await useBackend(backend);

  const initDir = join('public', 'models', `twenty-questions-${config.env.subset}`);
  const reference = await loadModel(initDir, 'actor');
  const tokenizer = modelTokenizerFor(reference.json.tokenizer, knowledgeBaseFor(config.env.subset), initDir);
  const actor = createActor(config, tokenizer);
  actor.setWeights(reference.weights);
  const critic = createCritic(config, tokenizer, seed, config.critic.init_from_actor ? reference.weights : undefined);
  const { subset } = config.env;
  const maxTurns = config.agent_proxy.max_turn;
  const makeEnv = () => new TwentyQuestionsEnv({ subset, maxTurns });
  const scorer = candidateScorer(config)!;
  const trainer = new ArcherTrainer({ config, actor, critic, makeEnv, candidates: scorer });

  const rng = new Rng(seed ^ 0x5eed);
  // In batches of 64 games: one batch of thousands would not fit the wasm heap.
  const play = async (n: number, base: number, idBase: number) => {
    const policy = actorPolicy(actor, { temperature: config.actor_rollout_ref.rollout.temperature, rng });
    const seeds = episodeSeeds(base, n);
    const out = [];
    for (let i = 0; i < n; i += 64) {
      out.push(...(await collectEpisodes(makeEnv, seeds.slice(i, i + 64), policy, idBase + i, { cutIsDone: config.archer.cut_is_done })).transitions);
    }
    return out;
  };
  const started = Date.now();
  const train = await play(trainN, seed * 7 + 11, 0);
  const test = await play(testN, 9_000_000 + seed, trainN);
  trainer.replay.pushMany(train);
  const returns = transitionReturns(train, config.algorithm.gamma);
  err(`bench critic-fit: ${train.length} training and ${test.length} held-out transitions (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

  // The instrument's ceiling: how the expert's exact Q ranks the same candidates (a perfect critic of a good policy).
  const kb = makeEnv().kb;
  if (kb.objects.length <= 20) {
    const states = [...new Set(test.map((t) => t.state))].slice(0, 40);
    const rhos = states.map((st) => {
      const { utterances, gains } = scorer(st);
      return spearman(expertQValues(kb, st, utterances, config.algorithm.gamma, maxTurns), gains);
    }).filter(Number.isFinite);
    const line = { ceiling: 'expert_q_rank_ig', states: rhos.length, mean: stats(rhos).mean };
    if (values.json) out(JSON.stringify(line));
    else out(`ceiling: at ${rhos.length} held-out states the expert's exact Q ranks the candidates with information gain at ${line.mean.toFixed(3)}`);
  }

  // The reference policy's own Q at a few held-out states (what a critic of its games can at best learn).
  const probes: { state: string; utterances: string[]; q: number[] }[] = [];
  if (policyQRollouts > 0) {
    const t0 = Date.now();
    const states = [...new Set(test.map((t) => t.state))];
    const pick = new Rng(seed ^ 0x9a11);
    const rows: { ig: number; halves: number; qSpread: number; noise: number }[] = [];
    let games = 0;
    while (probes.length < Math.min(policyQStates, states.length)) {
      const [state] = states.splice(pick.int(states.length), 1);
      const { utterances, gains } = scorer(state!);
      const policy = actorPolicy(actor, { temperature: config.actor_rollout_ref.rollout.temperature, rng });
      const pq = await policyQValues(kb, state!, utterances, policy, { rollouts: policyQRollouts, gamma: config.algorithm.gamma, maxTurns });
      games += pq.games;
      probes.push({ state: state!, utterances, q: pq.q });
      rows.push({ ig: spearman(pq.q, gains), halves: spearman(pq.halves[0], pq.halves[1]), qSpread: stats(pq.q).std, noise: pq.noiseStd });
      err(`bench critic-fit: the reference's own Q at ${probes.length} of ${policyQStates} states (${games} games, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    const mean = (k: keyof (typeof rows)[number]) => stats(rows.map((r) => r[k]).filter(Number.isFinite)).mean;
    const line = { ceiling: 'reference_q', states: rows.length, rollouts: policyQRollouts, rank_ig: mean('ig'), split_half: mean('halves'), q_spread: mean('qSpread'), noise_std: mean('noise'), games };
    if (values.json) out(JSON.stringify(line));
    else out(`reference's own Q (${policyQRollouts} games per candidate at ${rows.length} held-out states, ${games} games): ranks the candidates with information gain at ${line.rank_ig.toFixed(3)}; two halves of its games agree at ${line.split_half.toFixed(3)}; its spread across candidates ${line.q_spread.toFixed(3)} against ${line.noise_std.toFixed(3)} for one game's return`);
  }
  const rankAgainstPolicyQ = async (): Promise<number> => {
    const rhos: number[] = [];
    for (const p of probes) {
      const tok = actor.tokenizer;
      const grid = critic.qGrid([tok.encode(p.state)], p.utterances.map((u) => tok.encodeUtterance(u)));
      const [q1, q2] = (await Promise.all([grid.q1.data(), grid.q2.data()])) as Float32Array[];
      grid.q1.dispose();
      grid.q2.dispose();
      const r = spearman(Array.from(q1!, (x, i) => Math.min(x, q2![i]!)), p.q);
      if (Number.isFinite(r)) rhos.push(r);
    }
    return rhos.length > 0 ? stats(rhos).mean : Number.NaN;
  };

  const measure = async (step: number, loss: number) => {
    const d = await trainer.diagnose(test);
    if (probes.length > 0) d['critic/q_rank_policy_q'] = await rankAgainstPolicyQ();
    if (values.json) out(JSON.stringify({ step, loss, ...d, seconds: (Date.now() - started) / 1000 }));
    else out(`step ${String(step).padStart(5)}  loss ${loss.toFixed(3)}  ev_v ${d['critic/ev_v']!.toFixed(3)}  ev_q ${d['critic/ev_q']!.toFixed(3)}  rank_ig ${d['critic/q_rank_ig']!.toFixed(3)}  q_spread ${d['critic/q_spread']!.toFixed(3)}  v_spread ${d['critic/v_spread']!.toFixed(3)}  v_bias ${d['critic/v_bias']!.toFixed(2)}${probes.length > 0 ? `  rank_pq ${d['critic/q_rank_policy_q']!.toFixed(3)}` : ''}`);
  };
  let losses: number[] = [];
  await measure(0, Number.NaN);
  for (let k = 1; k <= steps; k++) {
    let r;
    if (targets === 'mc') {
      const picks = Array.from({ length: config.algorithm.batch_size }, () => rng.int(train.length));
      r = await trainer.criticStep({ batch: picks.map((i) => train[i]!), returns: picks.map((i) => returns[i]!) });
    } else {
      r = await trainer.criticStep();
    }
    losses.push(r.metrics['critic/loss']!);
    if (k % every === 0 || k === steps) {
      await measure(k, stats(losses).mean);
      losses = [];
    }
  }
  trainer.dispose();
  actor.dispose();
  critic.dispose();
}
