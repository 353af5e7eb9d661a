/**
 * The A*PO page of the Learn view: the critic-free two-stage method (offline V* from reference
 * samples, then on-policy least-squares regression onto the optimal advantage), its loss as
 * DESIGN.md states it, the policy-gradient variant, pseudo-code and the apo.* settings from FIELDS.
 * The lab has no A*PO trainer yet, and the page says so.
 */
import { Formula } from '../Formula';
import { SettingsTable } from './ArcherPage';

/** Every formula on the page, in TeX. */
export const APO_TEX = {
  optimalPolicy: String.raw`\pi^{\star}(y \mid x) \propto \pi_{\text{ref}}(y \mid x)\, \exp\!\big(r(x, y)/\beta\big)`,
  optimalValue: String.raw`V^{\star}(x) = \beta \log \mathbb{E}_{y \sim \pi_{\text{ref}}(\cdot \mid x)} \exp\!\big(r(x, y)/\beta\big)`,
  vStar: String.raw`\hat V^{\star}(x) = \beta_1 \log \frac{1}{N} \sum_{j=1}^{N} \exp\!\big(r(x, y_j)/\beta_1\big), \qquad y_j \sim \pi_{\text{ref}}(\cdot \mid x)`,
  loss: String.raw`\mathcal{L}(\theta) = \mathbb{E}_{x,\; y \sim \pi_\theta(\cdot \mid x)} \Big[ \Big( \beta_2 \big[ \log \pi_\theta(y \mid x) - \log \pi_{\text{ref}}(y \mid x) \big] - \big( r(x, y) - \hat V^{\star}(x) \big) \Big)^2 \Big] \; - \; c_{\text{ent}}\, \mathcal{H}[\pi_\theta]`,
  pgAdvantage: String.raw`A(x, y) = r(x, y) + \beta \log \frac{\pi_{\text{ref}}(y \mid x)}{\pi_\theta(y \mid x)} - \hat V^{\star}(x)`,
  pgLoss: String.raw`\mathcal{L}_{\text{PG}}(\theta) = -\log \pi_\theta(y \mid x)\, \operatorname{clamp}(A) \; + \; \lambda\, \mathrm{KL}\big(\pi_\theta \,\|\, \pi_{\text{ref}}\big)`,
} as const;

const PSEUDO_CODE = `# Stage 1, once, before training (offline; π_ref is frozen)
for each prompt x:                          # an episode start: hidden object / instruction
  play num_ref_samples episodes y_1 … y_N with π_ref
  V*(x) ← β1 · log( mean_j exp(r(x, y_j) / β1) )
  cache V*(x)

# Stage 2, on-policy; no critic, no clipping
repeat:
  for a batch of prompts x:
    play ONE episode y ~ π_θ(·|x); reward r(x, y)
    ℓ(x, y) ← log π_θ(y|x) − log π_ref(y|x)   # agent tokens only
    L ← mean( (β2 · ℓ(x, y) − (r(x, y) − V*(x)))² ) − entropy_coeff · H
    one Adam step on π_θ (lm_lr)
  # the episodes are then thrown away: no replay buffer`;

export function ApoPage() {
  return (
    <section className="panel doc-page" data-testid="doc-apo" aria-labelledby="doc-apo-title">
      <h2 id="doc-apo-title">A*PO: policy optimisation by optimal advantage regression</h2>
      <p className="doc-status" role="note" data-testid="apo-status">
        <strong>Trains here:</strong> choose <code>algorithm.name = apo</code> in the lab (Twenty Questions or WebShop) or run{' '}
        <code>npm run cli -- train --algo apo</code>. Lab runs save their metrics and episodes but no checkpoint yet: a reload
        trains again from the reference policy.
      </p>
      <p className="doc-lede">
        A*PO (Brantley, Chen, Gao, Lee, Sun, Zhan and Zhang, 2025, “Accelerating RL for LLM Reasoning with Optimal Advantage
        Regression”, arXiv 2505.20686; code ZhaolinGao/A-PO) learns no critic. It estimates the value of the best achievable
        policy once, offline, from samples of a reference policy. After that it trains on a single fresh response per prompt
        with a plain least-squares loss.
      </p>

      <h3 id="doc-apo-idea">The idea</h3>
      <p>
        A*PO optimises the KL-regularised objective: maximise reward while staying near a reference policy π<sub>ref</sub>{' '}
        (here, the behaviour-cloned starting policy), with strength β. That objective has a closed-form optimal policy and
        optimal value:
      </p>
      <Formula display tex={APO_TEX.optimalPolicy} />
      <Formula display tex={APO_TEX.optimalValue} />
      <ul>
        <li>
          V*(x) depends only on π<sub>ref</sub> and the reward, never on the policy being trained. So it can be estimated
          once, before training, and cached.
        </li>
        <li>
          For the optimal policy, β log(π*/π<sub>ref</sub>) equals r − V*, the <em>optimal advantage</em>. Regressing the
          policy’s own log-ratio onto r − V* therefore pulls it toward π*, with no critic and no group of samples per prompt.
        </li>
      </ul>

      <h3 id="doc-apo-stage1">Stage 1: estimate V* offline</h3>
      <p>
        For each prompt x, draw N = <code>apo.num_ref_samples</code> responses from the frozen reference policy, score them,
        and take a soft maximum of their rewards at temperature β<sub>1</sub> = <code>apo.beta1</code>:
      </p>
      <Formula display tex={APO_TEX.vStar} />
      <ul>
        <li>As β<sub>1</sub> → 0 the estimate tends to the best of the N rewards; as β<sub>1</sub> grows it tends to their mean.</li>
        <li>More samples give a less noisy estimate but cost more generation up front (the reference uses N = 8, β<sub>1</sub> = 0.5).</li>
        <li>The paper also uses this pass to drop prompts that no reference sample solves, which shortens stage 2.</li>
      </ul>

      <h3 id="doc-apo-stage2">Stage 2: on-policy least-squares regression</h3>
      <p>
        Sample one response y per prompt from the current policy π<sub>θ</sub>. Regress β<sub>2</sub> times its log-ratio
        to the reference onto the optimal advantage r − V̂*(x), with β<sub>2</sub> = <code>apo.beta2</code> (1e-3 in the
        reference, on sequence log-probabilities), and add a small entropy bonus:
      </p>
      <Formula display tex={APO_TEX.loss} />
      <ul>
        <li>No value network, no ratio clipping, one generation per prompt: that is where the speed and memory savings come from.</li>
        <li>Larger β<sub>2</sub> keeps π<sub>θ</sub> closer to π<sub>ref</sub>; smaller lets the reward dominate.</li>
        <li>
          Mind the scale: the fit asks for log-ratios of (r − V̂*)/β<sub>2</sub> nats, and V̂* is a soft maximum, so
          r − V̂* is negative for most samples. In this lab’s small models β<sub>2</sub> = 1e-3 pushed every sampled
          trajectory down until the policy wrote only invalid actions (WebShop, KL over 1,000 nats within 20 iterations).
          With WebShop’s rewards in [0, 1], β<sub>2</sub> = 0.1 stayed within 0.5 nats of the reference over 60
          iterations at <code>lm_lr</code> 1e-4 but collapsed the same way at 5e-4, and β<sub>2</sub> = 0.5 at 2e-4
          stayed within 0.8 nats. Choose β<sub>2</sub> on the scale of the rewards’ spread.
        </li>
      </ul>

      <h3 id="doc-apo-pg">A policy-gradient variant</h3>
      <p>
        The lab also offers a policy-gradient form of the same idea (<code>apo.objective = pg</code>), with a KL-shaped
        advantage measured against V̂*:
      </p>
      <Formula display tex={APO_TEX.pgAdvantage} />
      <Formula display tex={APO_TEX.pgLoss} />
      <p>It uses length-normalised log-probabilities, clamped advantages and a gradient-norm clip of 0.5.</p>

      <h3 id="doc-apo-multiturn">In a multi-turn lab</h3>
      <ul>
        <li>The “prompt” x is an episode’s start: the hidden object in Twenty Questions, the shopping instruction in WebShop.</li>
        <li>
          The “response” y is the agent’s whole trajectory. Its log-probability counts the agent’s own tokens only; the
          environment’s text is masked out.
        </li>
        <li>The reward r(x, y) is the episode’s return. Credit therefore goes to the trajectory as a whole, not to single turns.</li>
      </ul>

      <h3 id="doc-apo-pseudo">Pseudo-code</h3>
      <pre className="doc-code">
        <code>{PSEUDO_CODE}</code>
      </pre>

      <h3 id="doc-apo-settings">A*PO settings</h3>
      <p>
        Built from the config schema. A*PO shares the policy settings on the ArCHer page (<code>algorithm.lm_lr</code>,{' '}
        <code>actor_rollout_ref.actor.entropy_coeff</code>, <code>actor_rollout_ref.actor.grad_clip</code>,{' '}
        <code>algorithm.rollout_size</code> starts per iteration, <code>algorithm.actor_epochs</code> passes, minibatches of
        whole episodes holding at most <code>algorithm.batch_size</code> turns) and uses none of the critic’s. Choose{' '}
        <code>algorithm.name = apo</code> in the lab’s settings, or <code>npm run cli -- train --algo apo</code>.
      </p>
      <SettingsTable groups={['A*PO']} caption="A*PO settings (generated from the config schema)" testId="apo-settings-table" />

      <h3 id="doc-apo-reported">What the paper reports</h3>
      <ul>
        <li>On math-reasoning benchmarks: 1.6–1.9× faster training than PPO and 1.8–2.2× faster than GRPO, with the lowest KL to the reference policy.</li>
        <li>Over 30% less peak memory than PPO, since there is no critic.</li>
        <li>
          These are single-turn results reported by the authors; this lab has not reproduced them. It trains A*PO on its
          multi-turn games (Twenty Questions and WebShop), where the comparison with PPO and GRPO is still to be measured.
        </li>
      </ul>
    </section>
  );
}
