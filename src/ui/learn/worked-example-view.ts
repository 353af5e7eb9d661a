/**
 * Pure helpers behind the worked-example lesson (WorkedExampleLesson.tsx): number formatting, the
 * six stages of one ArCHer update with their TeX, the formulas with the numbers substituted, and
 * the step-through position.
 *
 * Only types come from core/algos/archer/worked-example (a value import would pull tfjs into the
 * UI bundle); every number shown is read from the worker's `input` / `result`, none is copied here.
 *
 * Minus sign convention: plain ASCII hyphen-minus ("-") everywhere, both for negative numbers and
 * for subtraction, so what the page shows is what `Number()` parses and what a test can match
 * (e.g. the Q1 target line ends with "= -0.685"). Results are printed exactly like
 * printWorkedExample: `toFixed(3)`.
 */
import type { WorkedExampleInput, WorkedExampleKey, WorkedExampleResult } from '../../core/algos/archer/worked-example';

/** A computed intermediate, printed as in the write-up (toFixed(3); ASCII minus). */
export function fixed3(x: number): string {
  return x.toFixed(3);
}

/**
 * An input as given when it has at most three decimals (0.25, -1, 0.99, 0.3), else toFixed(3)
 * (0.3181818... -> "0.318"). Never prints "-0"; non-finite values print as JavaScript does.
 */
export function formatGiven(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const milli = Math.round(x * 1000);
  if (Math.abs(x * 1000 - milli) < 1e-6) {
    const rounded = milli / 1000;
    return String(rounded === 0 ? 0 : rounded);
  }
  return x.toFixed(3);
}

/** A number that is an operand after the first one: negatives get parentheses, "(-0.685)". */
export function operand(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
}

/** "a × b × c", wrapping negative operands after the first in parentheses. */
export function product(...factors: string[]): string {
  return factors.map((f, i) => (i === 0 ? f : operand(f))).join(' × ');
}

/** "(pred - target)²" with a negative target parenthesised. */
export function squaredError(pred: string, target: string): string {
  return `(${pred} - ${operand(target)})²`;
}

export type StageId = 'bootstrap' | 'qTargets' | 'vTargets' | 'losses' | 'advantage' | 'pgLoss';

/** One computed intermediate within a stage. */
export interface StageLine {
  key: WorkedExampleKey;
  /** TeX for the left-hand side (rendered inline), e.g. y^{Q}_{1}. */
  labelTex: string;
  /** The right-hand side with the numbers in, or null when the value is read off a network. */
  expression: string | null;
  /** The result, fixed3(result[key]). */
  value: string;
}

export interface Stage {
  id: StageId;
  title: string;
  /** The general formulas (TeX, display mode). */
  formulas: string[];
  lines: StageLine[];
  /** One or two sentences of why. */
  explanation: string;
}

/** "expression = value", or just the value when there is no arithmetic. */
export function substitutionText(line: StageLine): string {
  return line.expression === null ? line.value : `${line.expression} = ${line.value}`;
}

/** What the sign of the advantage does to the log-probability, in words. */
export function advantageSignSentence(advantage: number): string {
  if (advantage > 0) {
    return 'Here A is positive, so a gradient step on this loss raises log π(a^π|s): the utterance becomes more likely.';
  }
  if (advantage < 0) {
    return 'Here A is negative, so a gradient step on this loss lowers log π(a^π|s): the utterance becomes less likely.';
  }
  return 'Here A is zero, so this sample leaves the actor unchanged.';
}

/** The six stages of the update, in the order they are computed, with the numbers from the worker. */
export function workedExampleStages(input: WorkedExampleInput, result: WorkedExampleResult): Stage[] {
  const r = formatGiven(input.reward);
  const gamma = formatGiven(input.gamma);
  const notDone = `(1 - ${input.done ? 1 : 0})`;
  const v = (k: WorkedExampleKey): string => fixed3(result[k]);
  const line = (key: WorkedExampleKey, labelTex: string, expression: string | null): StageLine => ({
    key,
    labelTex,
    expression,
    value: v(key),
  });
  const qTarget = (i: 1 | 2): StageLine =>
    line(i === 1 ? 'qTarget1' : 'qTarget2', `y^{Q}_{${i}}`, `${r} + ${product(gamma, notDone, v(i === 1 ? 'vbar1Next' : 'vbar2Next'))}`);

  return [
    {
      id: 'bootstrap',
      title: "1. Bootstrap values V̄ᵢ(s′)",
      formulas: [String.raw`\bar V_i(s') = V_i(s';\,\bar\phi), \qquad \bar\phi \leftarrow (1-\tau)\,\bar\phi + \tau\,\phi`],
      lines: [line('vbar1Next', String.raw`\bar V_1(s')`, null), line('vbar2Next', String.raw`\bar V_2(s')`, null)],
      explanation:
        'The value of the next state comes from the target critic, a slowly moving (Polyak-averaged) copy of the online one. ' +
        'Bootstrapping from the network being trained would make the regression target chase its own updates; the lagging copy keeps it steady.',
    },
    {
      id: 'qTargets',
      title: '2. Q targets',
      formulas: [String.raw`y^{Q}_i = r + \gamma\,(1 - \mathrm{done})\,\bar V_i(s')`],
      lines: [qTarget(1), qTarget(2)],
      explanation:
        "One Bellman backup at the level of whole utterances: this turn's reward plus the discounted target value of the next state, " +
        'cut off by (1 - done) when the game ends. Each Q head pairs with its own V̄ head (no min here).',
    },
    {
      id: 'vTargets',
      title: '3. V targets',
      formulas: [String.raw`y^{V}_i = \bar Q_i(s, a^{\pi}), \qquad a^{\pi} \sim \pi(\cdot \mid s)`],
      lines: [
        line('vTarget1', String.raw`y^{V}_{1} = \bar Q_1(s, a^{\pi})`, null),
        line('vTarget2', String.raw`y^{V}_{2} = \bar Q_2(s, a^{\pi})`, null),
      ],
      explanation:
        'V(s) should be the value of the current policy at s, so it regresses to the target Q at an utterance a^π freshly sampled from the actor, ' +
        'not at the stored a, which an older policy chose.',
    },
    {
      id: 'losses',
      title: '4. Critic losses',
      formulas: [
        String.raw`\mathcal{L}_{Q_i} = \big(Q_i(s,a) - y^{Q}_i\big)^2, \qquad \mathcal{L}_{V_i} = \big(V_i(s) - y^{V}_i\big)^2`,
        String.raw`\mathcal{L}_{\text{critic}} = \mathcal{L}_{Q_1} + \mathcal{L}_{Q_2} + \mathcal{L}_{V_1} + \mathcal{L}_{V_2}`,
      ],
      lines: [
        line('lossQ1', String.raw`\mathcal{L}_{Q_1}`, squaredError(formatGiven(input.q1), v('qTarget1'))),
        line('lossQ2', String.raw`\mathcal{L}_{Q_2}`, squaredError(formatGiven(input.q2), v('qTarget2'))),
        line('lossV1', String.raw`\mathcal{L}_{V_1}`, squaredError(formatGiven(input.v1), v('vTarget1'))),
        line('lossV2', String.raw`\mathcal{L}_{V_2}`, squaredError(formatGiven(input.v2), v('vTarget2'))),
        line('total', String.raw`\mathcal{L}_{\text{critic}}`, [v('lossQ1'), v('lossQ2'), v('lossV1'), v('lossV2')].join(' + ')),
      ],
      explanation:
        'Each head is regressed on its own target with a squared error (a mean over the batch; the batch here is one transition), and the four are summed into the loss the critic optimiser minimises. ' +
        'The targets are constants: no gradient flows into them.',
    },
    {
      id: 'advantage',
      title: '5. Advantage',
      formulas: [String.raw`A(s, a^{\pi}) = \min\big(Q_1, Q_2\big)(s, a^{\pi}) - \min\big(V_1, V_2\big)(s)`],
      lines: [
        line(
          'advantage',
          String.raw`A(s, a^{\pi})`,
          `min(${formatGiven(input.q1Pi)}, ${formatGiven(input.q2Pi)}) - min(${formatGiven(input.v1)}, ${formatGiven(input.v2)})`,
        ),
      ],
      explanation:
        'The actor is scored by the online critic, taking the smaller of the two heads for both Q and V: the pessimistic estimate counters the over-estimation ' +
        'that comes from pushing a policy towards whatever a learned critic rates too highly.',
    },
    {
      id: 'pgLoss',
      title: '6. Policy-gradient loss',
      formulas: [
        String.raw`\log \pi(a^{\pi} \mid s) = \sum_t \log \pi(w_t \mid s, w_{<t})`,
        String.raw`\mathcal{L}_{\text{PG}} = -\log \pi(a^{\pi} \mid s)\; A(s, a^{\pi})`,
      ],
      lines: [
        line('logProb', String.raw`\log \pi(a^{\pi} \mid s)`, null),
        line('pgLoss', String.raw`\mathcal{L}_{\text{PG}}`, `-(${product(v('logProb'), v('advantage'))})`),
      ],
      explanation:
        'The utterance log-probability is the sum of its tokens’ log-probabilities, and the advantage is held constant. ' +
        advantageSignSentence(result.advantage),
    },
  ];
}

/** Whether the example's sampled a^π is the stored a itself (then Q_i(s, a^π) = Q_i(s, a)). */
export function samplesStoredAction(input: WorkedExampleInput): boolean {
  return input.q1Pi === input.q1 && input.q2Pi === input.q2;
}

/** One row of the inputs table. */
export interface InputRow {
  tex: string;
  meaning: string;
  value: string;
}

/** The inputs of the example, formatted; V̄ᵢ(s′) is read from the result (as the loss functions saw it). */
export function inputRows(input: WorkedExampleInput, result: WorkedExampleResult): InputRow[] {
  return [
    { tex: 'r', meaning: 'reward for this turn', value: formatGiven(input.reward) },
    { tex: String.raw`\gamma`, meaning: 'discount', value: formatGiven(input.gamma) },
    { tex: String.raw`\mathrm{done}`, meaning: 'whether the game ended on this turn', value: input.done ? 'true (1)' : 'false (0)' },
    { tex: 'Q_1(s, a)', meaning: 'online critic, Q head 1, at the stored turn', value: formatGiven(input.q1) },
    { tex: 'Q_2(s, a)', meaning: 'online critic, Q head 2, at the stored turn', value: formatGiven(input.q2) },
    { tex: 'V_1(s)', meaning: 'online critic, V head 1', value: formatGiven(input.v1) },
    { tex: 'V_2(s)', meaning: 'online critic, V head 2', value: formatGiven(input.v2) },
    { tex: String.raw`\bar V_1(s')`, meaning: 'target critic, V head 1, at the next state', value: fixed3(result.vbar1Next) },
    { tex: String.raw`\bar V_2(s')`, meaning: 'target critic, V head 2, at the next state', value: fixed3(result.vbar2Next) },
    { tex: String.raw`\bar Q_1(s, a^{\pi})`, meaning: 'target critic, Q head 1, at a fresh sample a^π', value: formatGiven(input.qbar1Pi) },
    { tex: String.raw`\bar Q_2(s, a^{\pi})`, meaning: 'target critic, Q head 2, at a fresh sample a^π', value: formatGiven(input.qbar2Pi) },
    { tex: String.raw`Q_1(s, a^{\pi})`, meaning: 'online critic, Q head 1, at a^π', value: formatGiven(input.q1Pi) },
    { tex: String.raw`Q_2(s, a^{\pi})`, meaning: 'online critic, Q head 2, at a^π', value: formatGiven(input.q2Pi) },
    { tex: String.raw`\log \pi(a^{\pi} \mid s)`, meaning: 'actor log-probability of the utterance', value: formatGiven(input.logProb) },
  ];
}

/** Step-through position: an index into the stages, kept within [0, count - 1]. */
export function clampStage(index: number, count: number): number {
  if (count <= 0 || !Number.isFinite(index)) return 0;
  return Math.min(count - 1, Math.max(0, Math.trunc(index)));
}

/** "Stage 2 of 6: Q targets" (the title's leading "2. " dropped). */
export function stageReadout(index: number, stages: ReadonlyArray<Pick<Stage, 'title'>>): string {
  const i = clampStage(index, stages.length);
  const title = stages[i]?.title.replace(/^\d+\.\s*/, '') ?? '';
  return `Stage ${i + 1} of ${stages.length}${title ? `: ${title}` : ''}`;
}
