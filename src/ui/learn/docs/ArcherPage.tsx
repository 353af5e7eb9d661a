/**
 * The ArCHer page of the Learn view: why multi-turn agents need credit assignment across turns,
 * the hierarchy (utterance-level off-policy critic, token-level policy), the losses exactly as
 * src/core/algos/archer/losses.ts and trainer.ts compute them, one iteration in pseudo-code, and a
 * settings table generated from the config schema (FIELDS), so it never falls behind the sliders.
 *
 * Also exports the settings table (SettingsTable) and its cell formatters, shared with the A*PO page.
 */
import { FIELDS, GROUPS, type FieldKey, type FieldSpec } from '../../../core/config';
import { Formula } from '../Formula';

/** A number as a person reads it in a table: 100,000 / 0.001 / 1e-8. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (n !== 0 && Math.abs(n) < 1e-3) return n.toExponential().replace('e+', 'e');
  return String(n);
}

/** The values a setting can take: "0 – 1", "1e-8 – 1 (log scale)", "full · subset10", "on / off". */
export function formatRange(f: FieldSpec): string {
  switch (f.kind) {
    case 'enum':
      return (f.options ?? []).join(' · ');
    case 'boolean':
      return 'on / off';
    case 'string':
      return 'text';
    default: {
      const lo = f.min === undefined ? '−∞' : formatNumber(f.min);
      const hi = f.max === undefined ? '∞' : formatNumber(f.max);
      return `${lo} – ${hi}${f.scale === 'log' ? ' (log scale)' : ''}`;
    }
  }
}

/** A setting's default as shown in the table. */
export function formatDefault(f: FieldSpec): string {
  if (typeof f.default === 'boolean') return f.default ? 'on' : 'off';
  if (typeof f.default === 'number') return formatNumber(f.default);
  return f.default;
}

/**
 * One table of settings, generated from FIELDS: a row group per UI group, each row the dotted key,
 * its range and default, whether it can change while a run trains, and the schema's help line.
 */
export function SettingsTable({ groups, caption, testId }: { groups: readonly string[]; caption: string; testId: string }) {
  const fields: readonly FieldSpec[] = FIELDS;
  return (
    <div className="doc-table-wrap">
      <table className="doc-table doc-settings" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Range</th>
            <th scope="col">Default</th>
            <th scope="col">Change</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        {groups.map((group) => {
          const rows = fields.filter((f) => f.group === group);
          if (rows.length === 0) return null;
          return (
            <tbody key={group}>
              <tr className="doc-group-row">
                <th scope="rowgroup" colSpan={5}>
                  {group}
                </th>
              </tr>
              {rows.map((f) => (
                <tr key={f.key} data-key={f.key}>
                  <th scope="row">
                    <code>{f.key}</code>
                  </th>
                  <td>{formatRange(f)}</td>
                  <td>{formatDefault(f)}</td>
                  <td>
                    {f.live ? (
                      <span className="badge live" title="Takes effect at the next iteration of a running run">
                        live
                      </span>
                    ) : (
                      <span className="badge restart" title="Needs a new run">
                        restart
                      </span>
                    )}
                  </td>
                  <td>{f.help}</td>
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

/** The UI groups whose settings concern ArCHer (everything but A*PO's own). */
export const ARCHER_GROUPS: readonly string[] = GROUPS.filter((g) => g !== 'A*PO');

/** Hand-written intuition for the settings that matter most; keyed by FieldKey so a renamed key fails to compile. */
export const ARCHER_INTUITIONS: ReadonlyArray<readonly [FieldKey, string]> = [
  [
    'algorithm.tau',
    'How fast the target critic follows the online one (its memory is about 1/τ critic steps). Near 1 the TD targets chase the critic’s own newest guesses: fast, but Q and V can oscillate or blow up. Near 0 the targets hardly move and values learn slowly; 0 freezes them.',
  ],
  [
    'algorithm.gamma',
    'How far ahead a turn’s value looks. In this lab’s ArCHer critic one factor of γ is one turn. With −1 per turn a state k turns from the end is worth about −(1 − γᵏ)/(1 − γ): lower γ squeezes long and short games together, so the critic cares less about finishing in fewer turns.',
  ],
  [
    'algorithm.critic_epochs',
    'Critic steps per rollout, i.e. how often replay data is reused. More steps give better-fitted Q and V before the actor reads them (the paper uses 50 on Twenty Questions) but slow each iteration and can overfit an old buffer. 0 freezes the critic.',
  ],
  [
    'algorithm.actor_epochs',
    'Actor steps per iteration on the same critic. More moves the policy further per iteration: faster while the critic is right, drift or collapse when it is wrong. 0 turns the actor off.',
  ],
  [
    'algorithm.warmup_iterations',
    'Iterations in which only the critic trains. Too few and the actor follows the advantages of an untrained critic, which is noise that can wreck a pretrained policy. Too many and rollouts are spent on a policy that does not change.',
  ],
  [
    'algorithm.lm_lr',
    'The actor’s step size, and the most fragile setting. Too high and the language model forgets how to ask valid questions (invalid rate jumps, entropy collapses). Too low and returns stay flat while the critic learns.',
  ],
  [
    'algorithm.critic_lr',
    'The critic’s step size, usually 10–1000× the actor’s. Higher fits Q and V sooner but moves the TD targets more, so the critic losses can oscillate. Watch critic/q1_loss and critic/v1_loss.',
  ],
  [
    'algorithm.rollout_size',
    'New episodes per iteration: how much fresh data enters the buffer between updates. Larger gives the critic more varied data but makes each iteration slower. Smaller means more updates per episode played (more off-policy reuse).',
  ],
  [
    'algorithm.batch_size',
    'Transitions per gradient step for both critic and actor. Larger averages out noise in both losses but costs more time and memory per step.',
  ],
  [
    'actor_rollout_ref.rollout.temperature',
    'Exploration, both in the rollouts and in the fresh samples a^π used for the V targets and the advantage. Higher tries more varied (and more invalid) questions; lower plays greedier and explores less.',
  ],
  [
    'actor_rollout_ref.actor.entropy_coeff',
    'Keeps the token distribution from collapsing too early. Raise it if actor/entropy drops toward zero while returns are still poor; too high keeps the policy close to random.',
  ],
  [
    'archer.token_level',
    'On: each token is credited with A − b(s, a<t) instead of the whole utterance’s A, and a small learned baseline b is trained toward A. Same expected gradient, usually lower variance, one more small update per actor step.',
  ],
  [
    'archer.turn_aware',
    'Not in the paper as such: its WebShop critic reads the whole history, so it can count steps; this lab’s pages cannot. On, the critic reads “Steps: k.” after the page and the step-limit cut counts as the end. Without it, clicking a missing size again and again costs only a discount per click in the critic’s eyes, though it ends in 0 when the steps run out.',
  ],
  [
    'archer.loo_samples',
    'Not in the paper (0 there). The lab’s instruments showed the paper’s advantage min Q − min V is mostly one offset shared by the whole batch (V lags Q), so every sampled question is pushed the same way. With K ≥ 2 the actor samples K questions at each state and scores each against the mean Q of the others: the offset is gone and only Q’s ranking of the questions is left. In the learning study (README) K = 4 won on the first three seeds and lost on the next two: +0.3 on average, within the noise, because Q hardly ranks the questions at all.',
  ],
  [
    'archer.warmup_targets',
    'Not in the paper. ‘mc’ fits Q and V to each stored turn’s discounted return during the warm-up, so the critic starts the actor’s updates at the right value scale (explained variance of V 0.01 → 0.16 in the study). The return did not rise (−0.6 on three seeds): the scale was not what held the actor back, the critic’s ranking of the questions was.',
  ],
  [
    'archer.cut_is_done',
    'ArCHer’s own Twenty Questions ends an episode (done) at the 20th question; this lab bootstraps through the turn limit unless this is on. The state lists every question, so the critic can see the limit coming.',
  ],
  [
    'archer.kl_coeff',
    'Not in the paper (0 there): adds c · KL(π ‖ π_ref) of the sampled utterances to the actor loss, a pull back toward the reference policy the run started from. The actor otherwise climbs wherever the critic overrates an action it has rarely seen (on WebShop: clicking an option that is already selected, or a size the product lacks, until the step limit). Watch actor/kl: a few hundredths of a nat per utterance is already a real change.',
  ],
];

/**
 * Settings that the seed configs carry and the schema keeps (so those configs load unchanged) but
 * that this lab's ArCHer trainer does not read today.
 */
export const ARCHER_UNREAD: readonly FieldKey[] = ['algorithm.high_level_gamma', 'archer.alpha', 'algorithm.adv_estimator', 'agent_proxy.use_turn_scores'];

/** Every formula on the page, in TeX: what the lab computes (see losses.ts). */
export const ARCHER_TEX = {
  qTarget: String.raw`y_{Q_i} = r + \gamma\,(1 - d)\,\bar V_i(s'), \qquad i \in \{1, 2\}`,
  vTarget: String.raw`y_{V_i} = \bar Q_i(s, a^{\pi}), \qquad a^{\pi} \sim \pi(\cdot \mid s)`,
  criticLoss: String.raw`\mathcal{L}_{\text{critic}} = \sum_{i=1}^{2} \frac{1}{B} \sum_{b=1}^{B} \Big[ \big(Q_i(s, a) - y_{Q_i}\big)^2 + \big(V_i(s) - y_{V_i}\big)^2 \Big]`,
  polyak: String.raw`\bar\theta \leftarrow (1 - \tau)\,\bar\theta + \tau\,\theta`,
  advantage: String.raw`A(s, a^{\pi}) = \min(Q_1, Q_2)(s, a^{\pi}) - \min(V_1, V_2)(s)`,
  pgLoss: String.raw`\mathcal{L}_{\text{actor}} = -\frac{1}{B} \sum_{b=1}^{B} \Big( \sum_{t} \log \pi(a_t \mid s, a_{<t}) \Big) A(s, a^{\pi}) \; - \; c_{\text{ent}}\, \mathcal{H}[\pi] \; + \; c_{\text{KL}}\, \mathrm{KL}(\pi \,\|\, \pi_{\text{ref}})`,
  tokenAdvantage: String.raw`A_t = A(s, a^{\pi}) - b(s, a_{<t})`,
  tokenLoss: String.raw`\mathcal{L}_{\text{actor}}^{\text{token}} = -\frac{1}{B} \sum_{b=1}^{B} \sum_{t} \log \pi(a_t \mid s, a_{<t}) \, \big( A(s, a^{\pi}) - b(s, a_{<t}) \big) \; - \; c_{\text{ent}}\, \mathcal{H}[\pi]`,
  baselineLoss: String.raw`\mathcal{L}_{b} = \operatorname{mean}_{t} \big( b(s, a_{<t}) - A(s, a^{\pi}) \big)^2`,
} as const;

const PSEUDO_CODE = `for k = 0, 1, 2, …                                   # one iteration each
  # 1. rollout (on-policy data, kept for off-policy reuse)
  play rollout_size episodes with π at temperature
  push every turn (s, a, r, s', done) into the replay buffer
      (replay_buffer_capacity transitions; the oldest go first)

  # 2. critic: critic_epochs steps
  repeat critic_epochs times:
    sample batch_size transitions (s, a, r, s', done), uniformly
    a^π ← sample π(·|s)                                 # fresh utterances
    y_Qi ← r + γ(1 − done)·V̄_i(s')                      # target critic,
    y_Vi ← Q̄_i(s, a^π)                                  #   no gradient
    L ← Σ_i MSE(Q_i(s,a), y_Qi) + MSE(V_i(s), y_Vi)
    Adam step on the critic (critic_lr, clip critic_grad_clip)
    θ̄ ← (1 − τ)·θ̄ + τ·θ                                 # after every critic step

  # 3. actor: only once the critic has warmed up
  if k ≥ warmup_iterations:
    repeat actor_epochs times:
      sample batch_size states s from the buffer
      a^π ← sample π(·|s)
      A ← min(Q1,Q2)(s,a^π) − min(V1,V2)(s)             # online critic, constant
      L ← −mean(Σ_t log π(a_t|s,a_<t) · A) − entropy_coeff · H
          (token_level: A − b(s,a_<t) per token, then one step of b toward A)
      Adam step on the actor (lm_lr, clip grad_clip)`;

export function ArcherPage() {
  const intuitions = new Map<string, string>(ARCHER_INTUITIONS);
  return (
    <section className="panel doc-page" data-testid="doc-archer" aria-labelledby="doc-archer-title">
      <h2 id="doc-archer-title">ArCHer: a turn-level critic for a token-level policy</h2>
      <p className="doc-lede">
        ArCHer (Actor-Critic with a Hierarchical structure; Zhou, Zanette, Pan, Levine and Kumar, 2024, “ArCHer: Training
        Language Model Agents via Hierarchical Multi-Turn RL”, arXiv 2402.19446) trains a language model that acts over many
        turns. It is what the Train tab runs.
      </p>

      <h3 id="doc-archer-why">Why multi-turn agents need credit assignment across turns</h3>
      <p>
        In Twenty Questions the agent asks up to 20 questions and only the last one can end the game. Every turn costs −1, so
        the return says how long the whole game took, not which question helped. A good early question (“Is it an
        animal?”) pays off many turns later.
      </p>
      <ul>
        <li>
          <strong>Single-turn methods</strong> (PPO and GRPO as used for chat models) treat the whole conversation as one long
          response with one reward. Every token shares the blame, so learning needs very many fresh episodes.
        </li>
        <li>
          <strong>Token-level value learning</strong> over a whole game is hard: hundreds or thousands of tokens can separate a
          question from the reward, so values have to be passed back through every token.
        </li>
        <li>
          <strong>Turns are the natural unit.</strong> The environment only reacts once an utterance is finished. A critic
          that values whole utterances passes reward back one turn at a time with temporal-difference (TD) learning, and can
          learn from old games kept in a replay buffer.
        </li>
      </ul>

      <h3 id="doc-archer-hierarchy">The hierarchy</h3>
      <ol>
        <li>
          <strong>High level: an utterance-level, off-policy critic.</strong> A shared encoder reads the dialogue so far (the
          state s) and a candidate utterance (the action a). Two Q heads score Q<sub>1</sub>, Q<sub>2</sub>(s, a) and two V
          heads score V<sub>1</sub>, V<sub>2</sub>(s). A slowly moving target copy (Q̄, V̄) supplies the TD targets. The
          critic trains on transitions (s, a, r, s′, done) from the replay buffer, whichever policy produced them. As in the
          paper, s and a are encoded apart; with <code>critic.joint_encoding</code> (this lab’s option) the Q heads read the
          utterance after the state instead, so Q can check an action against the page it is taken on. On WebShop the page
          does not show how many steps are left; the paper’s critic reads the whole history, which does. With{' '}
          <code>archer.turn_aware</code> (this lab’s option) the critic reads the page and a line “Steps: k.”, and an
          episode cut by the step limit ends there (done, value 0) instead of bootstrapping; the actor still reads the page alone.
        </li>
        <li>
          <strong>Low level: a token-level policy.</strong> The actor is a small causal language model that writes an
          utterance one token at a time. It is trained by policy gradient: each utterance’s tokens are pushed up or down by
          the critic’s advantage for that utterance (or, in the token-level variant, by the advantage minus a per-token
          baseline).
        </li>
      </ol>

      <h3 id="doc-archer-critic">The critic: targets and loss</h3>
      <p>Each Q head regresses onto one step of reward plus the discounted target value of the next state. Q<sub>1</sub> pairs with V̄<sub>1</sub> and Q<sub>2</sub> with V̄<sub>2</sub>; there is no min inside the targets:</p>
      <Formula display tex={ARCHER_TEX.qTarget} />
      <p>
        Each V head regresses onto the target Q of an utterance a<sup>π</sup> freshly sampled from the current actor at the
        same state, so V tracks the value of the policy being trained, not of whoever filled the buffer:
      </p>
      <Formula display tex={ARCHER_TEX.vTarget} />
      <p>The critic loss is the sum of the four mean squared errors over a batch of B transitions. The targets are constants: no gradient flows into them.</p>
      <Formula display tex={ARCHER_TEX.criticLoss} />
      <p>After every critic step the target critic’s weights θ̄ move a fraction τ toward the online weights θ (Polyak averaging):</p>
      <Formula display tex={ARCHER_TEX.polyak} />

      <h3 id="doc-archer-actor">The actor: advantage and policy gradient</h3>
      <p>
        For replay states s the actor samples fresh utterances a<sup>π</sup>. The online critic scores them. Taking the
        smaller of each pair of heads keeps the advantage pessimistic, which counters the over-estimation a max-seeking
        learner would exploit:
      </p>
      <Formula display tex={ARCHER_TEX.advantage} />
      <p>
        The policy-gradient loss weights the log-probability of each sampled utterance a<sup>π</sup> = (a<sub>1</sub>, …,
        a<sub>L</sub>), the sum of its tokens’ log-probabilities, by that constant advantage. It subtracts an entropy bonus:
        the mean per-token entropy H, weighted by c<sub>ent</sub> = <code>actor_rollout_ref.actor.entropy_coeff</code>.
        The paper adds nothing else: no KL penalty and no ratio clipping. This lab can add one term the paper does not
        have: with c<sub>KL</sub> = <code>archer.kl_coeff</code> above 0 (0 by default), the exact KL between the actor’s and the
        reference policy’s token distributions, summed over the utterance, pulls the actor back toward the policy it started from.
      </p>
      <Formula display tex={ARCHER_TEX.pgLoss} />

      <h3 id="doc-archer-token">The token-level variant</h3>
      <p>
        With <code>archer.token_level</code> on, each token gets its own advantage: the utterance’s advantage minus a learned
        baseline b(s, a<sub>&lt;t</sub>) that predicts it from the prefix written so far:
      </p>
      <Formula display tex={ARCHER_TEX.tokenAdvantage} />
      <Formula display tex={ARCHER_TEX.tokenLoss} />
      <p>
        The baseline does not depend on the token it scores, so the expected gradient is unchanged and the variance usually
        drops. After each actor step the baseline takes one step toward A:
      </p>
      <Formula display tex={ARCHER_TEX.baselineLoss} />
      <p className="doc-note">
        The paper describes this variant, but the reference code never finished it. Here it is the Monte Carlo form (λ = 1).
        With b = 0 it is exactly the utterance-level loss above.
      </p>

      <h3 id="doc-archer-iteration">One iteration, in pseudo-code</h3>
      <p>
        This matches <code>ArcherTrainer.step()</code>. A run repeats it <code>trainer.total_training_steps</code> times and
        saves a checkpoint every <code>trainer.save_freq</code> iterations.
      </p>
      <pre className="doc-code">
        <code>{PSEUDO_CODE}</code>
      </pre>

      <h3 id="doc-archer-settings">What each slider does</h3>
      <p>
        This table is built from the lab’s config schema, the same one that drives the sliders, YAML files, URL and command
        line. It lists every setting except A*PO’s own. “live” settings can change while a run trains and take effect at the
        next iteration; “restart” settings need a new run.
      </p>
      <SettingsTable groups={ARCHER_GROUPS} caption="ArCHer settings, by group (generated from the config schema)" testId="archer-settings-table" />
      <p className="doc-note">
        Kept so the seed configs load unchanged, but not read by this lab’s ArCHer trainer today:{' '}
        {ARCHER_UNREAD.map((k, i) => (
          <span key={k}>
            {i > 0 ? ', ' : ''}
            <code>{k}</code>
          </span>
        ))}
        . The critic discounts turn to turn with <code>algorithm.gamma</code>. PPO with <code>algorithm.adv_estimator = archer</code>{' '}
        reads the first three: turn-level returns discounted by <code>algorithm.high_level_gamma</code>, mixed into its token-level
        advantage with weight <code>archer.alpha</code>.
      </p>

      <h3 id="doc-archer-intuition">What moving it tends to do</h3>
      <ul className="doc-intuitions" data-testid="archer-intuitions">
        {ARCHER_INTUITIONS.map(([key]) => (
          <li key={key}>
            <code>{key}</code>: {intuitions.get(key)}
          </li>
        ))}
      </ul>

      <h3 id="doc-archer-reference">Reference points</h3>
      <ul>
        <li>
          Reference hyperparameters on Twenty Questions (YifeiZhou02/ArCHer): buffer 100,000, rollout 128, batch 8 × 32
          (gradient accumulation), critic epochs 50, actor epochs 3, warm-up 20, γ 0.95, τ 0.1, critic lr 2e-5, LM lr 1e-6.
          This lab’s defaults are smaller and faster, to suit its small models.
        </li>
        <li>
          Reported by the paper (GPT-2 actor, RoBERTa critic, full word list): about −13 after roughly 78k trajectories.
          PPO needed more than 100k samples to pass −17; ArCHer passed it in under 1k (the “100×” claim).
        </li>
      </ul>
    </section>
  );
}
