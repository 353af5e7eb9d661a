/**
 * The single config schema of the lab. One table of fields feeds the UI sliders, the URL hash,
 * YAML import/export and CLI dotted overrides (`algorithm.tau=0.05`). The nested `Config` type is
 * derived from the table, so adding a row here is the only edit needed to add a setting.
 *
 * Pure TypeScript: no DOM, no Node APIs.
 */
import { setPath } from './path';

export type FieldKind = 'number' | 'int' | 'enum' | 'boolean' | 'string';
export type FieldScale = 'linear' | 'log';
export type ConfigValue = number | string | boolean;

/** One row of the table. `min`/`max` bound numeric kinds (inclusive) and are always enforced. */
export interface FieldSpec {
  /** Dotted path into the nested config, e.g. `algorithm.tau`. */
  readonly key: string;
  readonly kind: FieldKind;
  readonly default: ConfigValue;
  readonly min?: number;
  readonly max?: number;
  /** Slider increment in value units (linear fields). A UI hint only: validation does not snap. */
  readonly step?: number;
  /** 'log' fields are best slid over log10(value); they carry no `step`. Default 'linear'. */
  readonly scale?: FieldScale;
  /** Allowed values of an 'enum' field. */
  readonly options?: readonly string[];
  /** One line: what it does and what moving it tends to do. */
  readonly help: string;
  /** UI section the field is shown under. */
  readonly group: string;
  /**
   * Safe to change while a run trains: the trainer reads it afresh every iteration (learning rates
   * are pushed into the optimisers). Any other change needs a new run.
   */
  readonly live?: boolean;
}

export const FIELDS = [
  {
    key: 'seed', kind: 'int', default: 0, min: 0, max: 2 ** 31 - 1, step: 1, group: 'Run',
    help: 'Seed for every random stream (env sampling, weight init, rollouts); the same seed and config replay a run exactly.',
  },
  {
    key: 'trainer.total_training_steps', kind: 'int', default: 200, min: 1, max: 1000000, step: 1, group: 'Run', live: true,
    help: 'Training iterations in the run (each: a rollout, critic steps, actor steps); the run stops there. Raise it to train on from where it stopped.',
  },
  {
    key: 'trainer.save_freq', kind: 'int', default: 5, min: 1, max: 100000, step: 1, group: 'Run', live: true,
    help: 'Save a checkpoint (weights, optimisers, replay buffer, RNG) every this many iterations, and whenever the run pauses; a reload resumes from the last one.',
  },
  {
    key: 'trainer.diagnostics', kind: 'boolean', default: true, group: 'Run', live: true,
    help: "Measure the critic each iteration on fresh episodes before it trains on them: explained variance vs Monte Carlo returns, value bias, Q's ranking of candidate questions.",
  },
  {
    key: 'env.name', kind: 'enum', default: 'twenty-questions', options: ['twenty-questions', 'webshop'], group: 'Environment',
    help: 'Task: Twenty Questions (find a hidden object with yes/no questions) or WebShop (search for and buy the product an instruction describes).',
  },
  {
    key: 'env.subset', kind: 'enum', default: 'full', options: ['full', 'subset10', 'archer10', 'archer157'], group: 'Environment',
    help: "Twenty Questions objects: 'archer157' ArCHer's 157 words, 'archer10' its 10-word subset, 'full' all 313, 'subset10' the lab's ten; ten are quick to learn, easy to memorise.",
  },
  {
    key: 'agent_proxy.max_turn', kind: 'int', default: 20, min: 1, max: 50, step: 1, group: 'Environment',
    help: 'Turn limit per episode (Twenty Questions allows 20 questions); fewer makes the task harder, more lengthens every rollout.',
  },
  {
    key: 'agent_proxy.use_turn_scores', kind: 'boolean', default: true, group: 'Environment',
    help: 'Credit each turn with its own reward instead of only the episode total at the end; gives turn-level critics a denser signal.',
  },
  {
    key: 'algorithm.name', kind: 'enum', default: 'archer', options: ['archer', 'apo', 'ppo', 'grpo', 'filtered_bc'], group: 'Algorithm',
    help: 'Training algorithm: ArCHer (off-policy hierarchical actor-critic), A*PO, PPO, GRPO, or filtered behaviour cloning on the best episodes.',
  },
  {
    key: 'algorithm.adv_estimator', kind: 'enum', default: 'gae', options: ['archer', 'gae', 'bi_level_gae', 'grpo', 'apo'], group: 'Algorithm',
    help: "PPO's advantage: 'gae' (token level), 'bi_level_gae' (RAGEN's: turn-level GAE by high_level_gamma, then GAE inside each turn) or 'archer' (turn returns mixed into GAE by archer.alpha).",
  },
  {
    key: 'algorithm.replay_buffer_capacity', kind: 'int', default: 100000, min: 1, max: 1e6, step: 1, group: 'Data',
    help: 'Transitions kept for off-policy updates; smaller tracks the current policy. The study: 1,000 (the lab default, 3.5 iterations) scored +0.85 (s.e. 0.26, 7 seeds) over 100,000.',
  },
  {
    key: 'algorithm.rollout_size', kind: 'int', default: 50, min: 1, max: 1024, step: 1, group: 'Data', live: true,
    help: 'Episodes collected per iteration; more gives lower-variance updates at the cost of slower iterations.',
  },
  {
    key: 'algorithm.batch_size', kind: 'int', default: 32, min: 1, max: 4096, step: 1, group: 'Data', live: true,
    help: 'Samples per gradient step for actor and critic; larger lowers gradient noise but costs more memory and time per step.',
  },
  {
    key: 'algorithm.critic_epochs', kind: 'int', default: 3, min: 0, max: 200, step: 1, group: 'Schedule', live: true,
    help: 'Critic steps per iteration; more fits the values faster but costs time. Tuned bench (archer10): 20 critic + 4 actor steps beat 10 + 2 by 1.2 (5 seeds; README).',
  },
  {
    key: 'algorithm.actor_epochs', kind: 'int', default: 3, min: 0, max: 200, step: 1, group: 'Schedule', live: true,
    help: 'Policy (LM) steps per iteration; more moves the policy further. With 20 critic steps, 4 beat 2 (tuned bench); at lm_lr 5e-4 more steps drift to invalid questions.',
  },
  {
    key: 'algorithm.warmup_iterations', kind: 'int', default: 20, min: 0, max: 10000, step: 1, group: 'Schedule', live: true,
    help: 'Initial iterations that train only the critic, so actor updates start from meaningful advantages; raise it if early training is unstable.',
  },
  {
    key: 'algorithm.tau', kind: 'number', default: 0.1, min: 0, max: 1, step: 0.01, group: 'Critic', live: true,
    help: 'Soft-update rate of the target critic (target <- tau*critic + (1-tau)*target); higher learns faster, lower is steadier, 0 freezes it.',
  },
  {
    key: 'algorithm.gamma', kind: 'number', default: 0.99, min: 0, max: 1, step: 0.001, group: 'Critic', live: true,
    help: 'Token-level discount factor for returns and GAE; lower values shorten the horizon and favour immediate reward.',
  },
  {
    key: 'algorithm.high_level_gamma', kind: 'number', default: 0.95, min: 0, max: 1, step: 0.001, group: 'Critic',
    help: "Turn-level discount across turns (ArCHer's utterance-level critic, bi-level GAE); lower favours solving the task in fewer turns.",
  },
  {
    key: 'archer.alpha', kind: 'number', default: 0.1, min: 0, max: 1, step: 0.01, group: 'Critic',
    help: "ArCHer mixing coefficient between the turn-level and token-level value estimates in the advantage; shifts credit between whole turns and tokens.",
  },
  {
    key: 'archer.token_level', kind: 'boolean', default: false, group: 'Critic', live: true,
    help: 'Token-level actor update: each token gets A - b(s, a_<t) from a learned token baseline instead of the whole-utterance A; lowers variance, same expected gradient.',
  },
  {
    key: 'archer.kl_coeff', kind: 'number', default: 0, min: 0, max: 10, step: 0.01, group: 'Critic', live: true,
    help: "KL(pi || pi_ref) weight in ArCHer's actor loss; 0 is the paper's. On the 157 words 0.3 kept ArCHer learning (+1.2 in an hour) where 0 collapsed into repeated questions; neutral on archer10.",
  },
  {
    key: 'archer.warmup_targets', kind: 'enum', default: 'td', options: ['td', 'mc'], group: 'Critic', live: true,
    help: "Critic targets in the warm-up iterations: 'td' the paper's r + gamma Vbar(s'); 'mc' each stored turn's discounted Monte Carlo return, so the critic has the value scale when the actor starts.",
  },
  {
    key: 'archer.cut_is_done', kind: 'boolean', default: false, group: 'Critic',
    help: "Store the turn limit's cut as the game's end (no bootstrap past it), as ArCHer's Twenty Questions returns done at the 20th question; archer.turn_aware implies it.",
  },
  {
    key: 'archer.loo_samples', kind: 'int', default: 0, min: 0, max: 16, step: 1, group: 'Critic', live: true,
    help: "0: the paper's A = min Q - min V. K >= 2: K utterances at each of batch_size / K states, A = Q(s, a_k) - mean Q of the others, so a V that lags Q adds no offset.",
  },
  {
    key: 'archer.turn_aware', kind: 'boolean', default: false, group: 'Critic',
    help: "The critic also reads the steps taken and the step-limit cut ends the episode (as ArCHer's WebShop critic reads the whole history); a loop's cost then shows. WebShop only.",
  },
  {
    key: 'algorithm.lm_lr', kind: 'number', default: 1e-5, min: 1e-8, max: 1, scale: 'log', group: 'Optimisation', live: true,
    help: 'Learning rate of the language-model policy; too high destabilises or collapses it, too low barely changes it.',
  },
  {
    key: 'algorithm.critic_lr', kind: 'number', default: 1e-3, min: 1e-8, max: 1, scale: 'log', group: 'Optimisation', live: true,
    help: "Critic learning rate, usually well above the policy's; higher fits values faster but makes the advantage targets noisier.",
  },
  {
    key: 'actor_rollout_ref.actor.grad_clip', kind: 'number', default: 1.0, min: 0, max: 100, step: 0.01, group: 'Optimisation', live: true,
    help: "Max gradient norm of policy updates, 0 disables; 0.01 in the RAGEN guide, ArCHer's own configs use max_grad_norm 1.0. Lower is steadier but slower.",
  },
  {
    key: 'actor_rollout_ref.actor.entropy_coeff', kind: 'number', default: 0.001, min: 0, max: 1, step: 0.0001, group: 'Optimisation', live: true,
    help: 'Weight of the entropy bonus in the policy loss; higher keeps exploring (more varied utterances), too high makes the output near-random.',
  },
  {
    key: 'actor_rollout_ref.rollout.temperature', kind: 'number', default: 1.0, min: 0.01, max: 5, step: 0.01, group: 'Sampling', live: true,
    help: 'Sampling temperature for rollouts; above 1 flattens the token distribution (more exploration), below 1 sharpens it toward greedy.',
  },
  {
    key: 'algorithm.critic_grad_clip', kind: 'number', default: 1.0, min: 0, max: 100, step: 0.01, group: 'Optimisation', live: true,
    help: "Largest global gradient norm of a critic step (ArCHer's max_grad_norm 1.0); lower steadies the critic, 0 disables clipping.",
  },
  {
    key: 'model.d_model', kind: 'int', default: 64, min: 16, max: 512, step: 16, group: 'Model',
    help: "Width of the actor's transformer; wider can represent a finer policy but every step costs about quadratically more.",
  },
  {
    key: 'model.n_layers', kind: 'int', default: 2, min: 1, max: 8, step: 1, group: 'Model',
    help: "Transformer blocks in the actor; more layers can track longer game histories, each adds a full block's cost.",
  },
  {
    key: 'model.n_heads', kind: 'int', default: 4, min: 1, max: 16, step: 1, group: 'Model',
    help: 'Attention heads per block (must divide the width); more heads attend to more places at once at the same cost.',
  },
  {
    key: 'model.max_len', kind: 'int', default: 192, min: 32, max: 1024, step: 8, group: 'Model',
    help: 'Most tokens the actor and critic read (context plus utterance); a 20-turn game is about 160; older turns are dropped beyond it.',
  },
  {
    key: 'critic.d_model', kind: 'int', default: 64, min: 16, max: 512, step: 16, group: 'Model',
    help: "Width of the critic's shared encoder; a wider critic fits Q and V more closely but costs more per critic step.",
  },
  {
    key: 'critic.n_layers', kind: 'int', default: 1, min: 1, max: 8, step: 1, group: 'Model',
    help: "Transformer blocks in the critic's encoder.",
  },
  {
    key: 'critic.init_from_actor', kind: 'boolean', default: false, group: 'Model',
    help: "Start the critic's encoder from the reference actor (as ArCHer starts from RoBERTa): shared blocks copied, heads random; needs critic.d_model = model.d_model.",
  },
  {
    key: 'critic.joint_encoding', kind: 'boolean', default: false, group: 'Model',
    help: "Q reads the utterance after the state, as the actor does, not the utterance alone (the paper's critic, off): Q can then check an action against the page.",
  },
  {
    key: 'critic.encoder', kind: 'enum', default: 'tokens', options: ['tokens', 'turns'], group: 'Model',
    help: "'tokens': the critic reads the state as one text (the paper's); 'turns': each turn alone, the state as their set, Q from state x question. The study: cheaper, not better (README).",
  },
  {
    key: 'ppo.clip_ratio', kind: 'number', default: 0.2, min: 0.01, max: 0.99, step: 0.01, group: 'PPO / GRPO', live: true,
    help: 'PPO and GRPO: the probability ratio pi/pi_old is clipped to [1 - clip_ratio, 1 + clip_ratio]; smaller keeps each update closer to the policy that played.',
  },
  {
    key: 'ppo.lam', kind: 'number', default: 0.95, min: 0, max: 1, step: 0.01, group: 'PPO / GRPO', live: true,
    help: "PPO: GAE's lambda per token; 1 is the Monte Carlo return minus the value (unbiased, noisy), 0 trusts the value head's next estimate.",
  },
  {
    key: 'grpo.group_size', kind: 'int', default: 4, min: 2, max: 64, step: 1, group: 'PPO / GRPO',
    help: 'GRPO: episodes played from each start (hidden object / instruction); each is scored against its group. rollout_size must be a multiple of it.',
  },
  {
    key: 'filtered_bc.top_fraction', kind: 'number', default: 0.1, min: 0.001, max: 1, step: 0.01, group: 'PPO / GRPO', live: true,
    help: 'Filtered BC: the share of all episodes so far, best returns first, that the actor imitates; smaller is pickier.',
  },
  {
    key: 'apo.beta1', kind: 'number', default: 0.5, min: 1e-3, max: 100, scale: 'log', group: 'A*PO',
    help: 'A*PO temperature of the optimal-value estimate V* = beta1*log(mean exp(r/beta1)) over reference samples; small tends to the best reward, large to the mean.',
  },
  {
    key: 'apo.beta2', kind: 'number', default: 1e-3, min: 1e-6, max: 10, scale: 'log', group: 'A*PO',
    help: 'A*PO regularisation: weight of log(pi/pi_ref) in the least-squares advantage regression; larger keeps the policy closer to the reference.',
  },
  {
    key: 'apo.num_ref_samples', kind: 'int', default: 8, min: 1, max: 64, step: 1, group: 'A*PO',
    help: 'Reference-policy samples per prompt used to estimate V*; more gives a less noisy estimate at more up-front generation cost.',
  },
  {
    key: 'apo.num_prompts', kind: 'int', default: 64, min: 1, max: 4096, step: 1, group: 'A*PO',
    help: 'Start states (hidden objects / shopping instructions) in the A*PO prompt pool; stage 1 samples num_ref_samples reference episodes for each, stage 2 draws its episodes from them.',
  },
  {
    key: 'apo.objective', kind: 'enum', default: 'ls', options: ['ls', 'pg'], group: 'A*PO', live: true,
    help: "A*PO's stage-2 objective: 'ls' the least-squares regression of beta2*log(pi/pi_ref) on r - V*; 'pg' the policy-gradient variant (length-normalised, clamped advantage, KL penalty, grad-norm 0.5).",
  },
  {
    key: 'apo.pg_beta', kind: 'number', default: 0.05, min: 0, max: 10, step: 0.01, group: 'A*PO', live: true,
    help: "Policy-gradient variant: weight of log(pi_ref/pi) (per token) inside the advantage A = r + beta*log(pi_ref/pi) - V*.",
  },
  {
    key: 'apo.kl_coeff', kind: 'number', default: 0.01, min: 0, max: 10, step: 0.001, group: 'A*PO', live: true,
    help: 'Policy-gradient variant: weight of the KL(pi || pi_ref) penalty in the loss; larger keeps the policy near the reference.',
  },
  {
    key: 'apo.adv_clip', kind: 'number', default: 2, min: 0.01, max: 1000, scale: 'log', group: 'A*PO', live: true,
    help: 'Policy-gradient variant: advantages are clamped to [-adv_clip, adv_clip] so no single episode dominates an update.',
  },
] as const satisfies readonly FieldSpec[];

export type Field = (typeof FIELDS)[number];
export type FieldKey = Field['key'];

/** The value type a field holds: enum options become a literal union. */
export type FieldValue<F> = F extends { kind: 'enum'; options: readonly (infer O)[] }
  ? O
  : F extends { kind: 'boolean' }
    ? boolean
    : F extends { kind: 'string' }
      ? string
      : number;

/** The config keyed by dotted path: `{ 'algorithm.tau': number, ... }`. */
export type FlatConfig = { [F in Field as F['key']]: FieldValue<F> };

type Head<K extends string> = K extends `${infer H}.${string}` ? H : K;
type Sub<M, H extends string> = {
  [K in keyof M & string as K extends `${H}.${infer R}` ? R : never]: M[K];
};
/** Turns `{ 'a.b': X, 'a.c': Y, d: Z }` into `{ a: { b: X; c: Y }; d: Z }`. */
type Nest<M> = { [H in Head<keyof M & string>]: H extends keyof M ? M[H] : Nest<Sub<M, H>> };

/** The nested config: `config.algorithm.tau`. Derived from FIELDS, never written by hand. */
export type Config = Nest<FlatConfig>;

export const FIELD_KEYS: readonly FieldKey[] = FIELDS.map((f) => f.key);

/** UI sections in first-appearance order. */
export const GROUPS: readonly string[] = [...new Set(FIELDS.map((f) => f.group))];

const BY_KEY: ReadonlyMap<string, Field> = new Map(FIELDS.map((f) => [f.key, f]));

/** Dotted paths of every section (non-leaf node), e.g. `algorithm`, `actor_rollout_ref.actor`. */
export const SECTION_KEYS: ReadonlySet<string> = new Set(
  FIELDS.flatMap((f) => {
    const parts = f.key.split('.');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

export function isFieldKey(key: string): key is FieldKey {
  return BY_KEY.has(key);
}

/** The field row for a dotted key, or undefined when the key is unknown. */
export function getField<K extends FieldKey>(key: K): Extract<Field, { key: K }>;
export function getField(key: string): Field | undefined;
export function getField(key: string): Field | undefined {
  return BY_KEY.get(key);
}

/** A fresh, fully defaulted config (a new object on every call). */
export function defaultConfig(): Config {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) setPath(out, f.key, f.default);
  return out as Config;
}
