/**
 * The "PPO vs ArCHer" page of the Learn view: PPO, GRPO, ArCHer and A*PO side by side (data flow,
 * on/off-policy, what is learned, credit assignment, updates per batch, memory, sample efficiency,
 * stability knobs, and what this lab runs), then when to prefer which.
 */
export const COMPARISON_COLUMNS = ['PPO', 'GRPO', 'ArCHer', 'A*PO'] as const;

export interface ComparisonRow {
  readonly aspect: string;
  /** One cell per column of COMPARISON_COLUMNS, in that order. */
  readonly cells: readonly [string, string, string, string];
}

export const COMPARISON_ROWS: readonly ComparisonRow[] = [
  {
    aspect: 'Data flow',
    cells: [
      'Sample a batch with the current policy, score every token with a value head, compute GAE advantages, update, then discard the batch.',
      'Sample a group of G responses per prompt, normalise each reward against its group (r − mean) / std, update, then discard.',
      'Play episodes into a replay buffer. The critic learns from buffer samples by TD; the actor learns from fresh utterances at buffer states, scored by the critic.',
      'Once, offline: N reference samples per prompt give V*(x). Then one on-policy response per prompt, regressed onto r − V*(x), then discarded.',
    ],
  },
  {
    aspect: 'On- or off-policy',
    cells: [
      'On-policy (a little off-policy within a batch’s epochs, kept in check by the clipped ratio).',
      'On-policy.',
      'Off-policy critic (any past episode helps); the actor samples its own fresh utterances.',
      'Stage 1 uses reference-policy samples; stage 2 is on-policy.',
    ],
  },
  {
    aspect: 'What is learned (critic type)',
    cells: [
      'Policy plus a learned state-value V(s_t) per token (a value head or a second model).',
      'Policy only: no critic; the group mean is the baseline.',
      'Policy plus an utterance-level critic: Q1, Q2(s, a) and V1, V2(s) on a shared encoder, with a Polyak target copy. Optional token baseline b(s, a<t).',
      'Policy only: no critic. V*(x) is a cached number per prompt, estimated once.',
    ],
  },
  {
    aspect: 'Credit assignment level',
    cells: [
      'Token: GAE over tokens. In a multi-turn game the reward can sit hundreds or thousands of tokens away.',
      'Whole response or trajectory: every token gets the same normalised advantage.',
      'Turn (utterance): TD between turns. Inside a turn every token shares A, or A − b(s, a<t) in the token-level variant.',
      'Whole response or trajectory: one optimal advantage r − V*(x) for all of it.',
    ],
  },
  {
    aspect: 'Updates per batch of data',
    cells: [
      'A few epochs (often 2–4) of minibatch steps, then the data is gone.',
      'One to a few steps, then the data is gone.',
      'critic_epochs critic steps and actor_epochs actor steps per iteration; each transition can be revisited for as long as it stays in the buffer.',
      'One regression step per batch; the data is not reused.',
    ],
  },
  {
    aspect: 'Memory',
    cells: [
      'Policy, value model or head, frozen reference model for the KL penalty; no replay buffer, no target network.',
      'Policy and frozen reference model; G responses per prompt in flight; no value head, no replay buffer.',
      'Policy, critic (encoder + 4 heads), target critic copy, replay buffer (up to replay_buffer_capacity transitions); no reference model, no KL term.',
      'Policy, frozen reference model (for log π_ref), cached V* table; no value head, no replay buffer, no target network.',
    ],
  },
  {
    aspect: 'Sample efficiency (reported)',
    cells: [
      'Twenty Questions (ArCHer paper): needed more than 100k samples to pass a return of −17.',
      'Needs G samples per prompt at every step; the A*PO paper reports it 1.8–2.2× slower to train than A*PO.',
      'Twenty Questions: passed −17 in under 1k trajectories (the “100×” claim) and reached about −13 after roughly 78k, as reported by the paper.',
      'Single-turn math: 1.6–1.9× faster training than PPO and 1.8–2.2× than GRPO, lowest KL to the reference, as reported by the paper; stage 1 costs N samples per prompt up front.',
    ],
  },
  {
    aspect: 'Stability knobs',
    cells: [
      'Clip ε on the probability ratio, KL coefficient to the reference, GAE λ and γ, value-loss weight, gradient clip, entropy bonus.',
      'Clip ε, KL coefficient, group size G, gradient clip.',
      'τ (target speed), warm-up iterations, critic_lr ≫ lm_lr, min over twin heads, critic and actor gradient clips, entropy bonus, token baseline.',
      'β2 (pull toward the reference), β1 and N (quality of V*), entropy bonus; PG variant: clamped advantage, KL weight λ, gradient clip 0.5.',
    ],
  },
  {
    aspect: 'In this lab',
    cells: [
      'Trains today: algorithm.name = ppo (token-level GAE with a value head; adv_estimator = archer mixes in turn-level returns by archer.alpha). No KL penalty to the reference here.',
      'Trains today: algorithm.name = grpo (grpo.group_size episodes per start, clipped ratio). No KL penalty to the reference here.',
      'Trains today: the Train tab runs it.',
      'Trains today: algorithm.name = apo (least-squares or policy-gradient objective).',
    ],
  },
];

export const WHEN_TO_PREFER: readonly { readonly title: string; readonly text: string }[] = [
  {
    title: 'ArCHer',
    text: 'for long multi-turn tasks where episodes are slow or costly and reward comes late (Twenty Questions, WebShop). Replay and turn-level TD get far more out of each episode. The price is a critic to tune: τ, warm-up and the two learning rates.',
  },
  {
    title: 'GRPO',
    text: 'for single-turn tasks with a checkable reward and cheap generation. With no critic there is little to tune, but it needs a group of samples for every prompt at every step.',
  },
  {
    title: 'A*PO',
    text: 'when a decent reference policy exists, generation is the bottleneck, and memory is tight. One online sample per prompt and no critic, after a one-off offline pass. The reference policy has to solve some prompts, or V* has nothing to go on.',
  },
  {
    title: 'PPO',
    text: 'as the well-understood general baseline when you can afford a value model and plenty of fresh on-policy samples; its token-level GAE suits dense, per-token rewards better than long delayed ones.',
  },
];

export function PpoVsArcherPage() {
  return (
    <section className="panel doc-page" data-testid="doc-ppo-vs-archer" aria-labelledby="doc-ppo-vs-archer-title">
      <h2 id="doc-ppo-vs-archer-title">PPO vs ArCHer (and GRPO, A*PO)</h2>
      <p className="doc-lede">
        All four train a language-model policy by reinforcement learning. They differ in where the advantage comes from, how
        long data is kept, and how credit is spread over turns and tokens. The figures are as reported by the ArCHer paper
        (Zhou et al., 2024) and the A*PO paper (Brantley et al., 2025), on their own models and tasks; this lab has not
        reproduced them.
      </p>
      <p data-testid="ppo-measured-here">
        Measured here instead: <code>npm run bench -- sample-efficiency</code> trains all of them (and filtered BC, and PPO
        with ArCHer’s turn-level estimator) from the same reference policy on the 10-object Twenty Questions, three seeds
        each, and counts the trajectories each needs to reach a return threshold. The lab’s <em>Sample efficiency</em> panel
        draws the shipped result, and your own, on one chart.
      </p>

      <h3 id="doc-ppo-vs-archer-table">Side by side</h3>
      <div className="doc-table-wrap">
        <table className="doc-table doc-compare" data-testid="comparison-table">
          <caption>PPO, GRPO, ArCHer and A*PO compared</caption>
          <thead>
            <tr>
              <th scope="col">Aspect</th>
              {COMPARISON_COLUMNS.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {COMPARISON_ROWS.map((row) => (
              <tr key={row.aspect}>
                <th scope="row">{row.aspect}</th>
                {row.cells.map((cell, i) => (
                  <td key={COMPARISON_COLUMNS[i]}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 id="doc-ppo-vs-archer-when">When to prefer which</h3>
      <ul data-testid="when-to-prefer">
        {WHEN_TO_PREFER.map((w) => (
          <li key={w.title}>
            <strong>{w.title}</strong> {w.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
