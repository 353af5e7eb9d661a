import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { WorkedExampleInput, WorkedExampleKey, WorkedExampleResult } from '../../core/algos/archer/worked-example';
import { WorkedExampleLesson, WorkedExampleStages } from './WorkedExampleLesson';
import {
  advantageSignSentence,
  clampStage,
  fixed3,
  formatGiven,
  inputRows,
  operand,
  product,
  samplesStoredAction,
  squaredError,
  stageReadout,
  substitutionText,
  workedExampleStages,
  type StageLine,
} from './worked-example-view';

// Built by hand (float32 like the worker's tensors), not imported: the view must not depend on the engine's numbers.
const f = Math.fround;
const input: WorkedExampleInput = {
  reward: -1,
  gamma: 0.99,
  done: false,
  q1: 0.25,
  q2: 0.3,
  v1: 0.15,
  v2: 0.2,
  vbar1Next: (-0.685 + 1) / 0.99,
  vbar2Next: (-0.64 + 1) / 0.99,
  qbar1Pi: 0.45,
  qbar2Pi: 0.5,
  q1Pi: 0.25,
  q2Pi: 0.3,
  logProb: -2.3,
};
const result: WorkedExampleResult = {
  vbar1Next: f(0.3181818),
  vbar2Next: f(0.3636364),
  qTarget1: f(-0.685),
  qTarget2: f(-0.64),
  vTarget1: f(0.45),
  vTarget2: f(0.5),
  lossQ1: f(0.874225),
  lossQ2: f(0.8836),
  lossV1: f(0.09),
  lossV2: f(0.09),
  total: f(1.937825),
  advantage: f(0.1),
  logProb: f(-2.3),
  pgLoss: f(0.23),
};
const EXPECTED: Record<WorkedExampleKey, string> = {
  vbar1Next: '0.318',
  vbar2Next: '0.364',
  qTarget1: '-0.685',
  qTarget2: '-0.640',
  vTarget1: '0.450',
  vTarget2: '0.500',
  lossQ1: '0.874',
  lossQ2: '0.884',
  lossV1: '0.090',
  lossV2: '0.090',
  total: '1.938',
  advantage: '0.100',
  logProb: '-2.300',
  pgLoss: '0.230',
};
const ALL_KEYS = Object.keys(EXPECTED) as WorkedExampleKey[];

function lineFor(key: WorkedExampleKey): StageLine {
  const found = workedExampleStages(input, result)
    .flatMap((s) => s.lines)
    .find((l) => l.key === key);
  if (!found) throw new Error(`no line for ${key}`);
  return found;
}

describe('number formatting', () => {
  it('prints results with toFixed(3) and an ASCII minus', () => {
    expect(fixed3(f(-0.685))).toBe('-0.685');
    expect(fixed3(f(0.09))).toBe('0.090');
    expect(fixed3(f(1.937825))).toBe('1.938');
  });

  it('prints inputs as given when round to 3 decimals, else to 3 decimals', () => {
    expect(formatGiven(0.25)).toBe('0.25');
    expect(formatGiven(-1)).toBe('-1');
    expect(formatGiven(0.99)).toBe('0.99');
    expect(formatGiven(0.3)).toBe('0.3');
    expect(formatGiven(-2.3)).toBe('-2.3');
    expect(formatGiven((-0.685 + 1) / 0.99)).toBe('0.318');
    expect(formatGiven(-0)).toBe('0');
    expect(formatGiven(Number.NaN)).toBe('NaN');
  });

  it('parenthesises negative operands after the first', () => {
    expect(operand('-0.685')).toBe('(-0.685)');
    expect(operand('0.5')).toBe('0.5');
    expect(product('-2.300', '0.100')).toBe('-2.300 × 0.100');
    expect(product('0.99', '-1')).toBe('0.99 × (-1)');
    expect(squaredError('0.25', '-0.685')).toBe('(0.25 - (-0.685))²');
  });
});

describe('workedExampleStages', () => {
  const stages = workedExampleStages(input, result);

  it('has the six stages in order and a line for every key, each once', () => {
    expect(stages.map((s) => s.id)).toEqual(['bootstrap', 'qTargets', 'vTargets', 'losses', 'advantage', 'pgLoss']);
    const keys = stages.flatMap((s) => s.lines.map((l) => l.key));
    expect([...keys].sort()).toEqual([...ALL_KEYS].sort());
    for (const s of stages) {
      expect(s.formulas.length).toBeGreaterThan(0);
      expect(s.explanation.length).toBeGreaterThan(20);
    }
  });

  it('prints every value as in the write-up', () => {
    for (const key of ALL_KEYS) expect(lineFor(key).value).toBe(EXPECTED[key]);
  });

  it('substitutes the numbers into each formula', () => {
    expect(substitutionText(lineFor('qTarget1'))).toBe('-1 + 0.99 × (1 - 0) × 0.318 = -0.685');
    expect(substitutionText(lineFor('qTarget2'))).toBe('-1 + 0.99 × (1 - 0) × 0.364 = -0.640');
    expect(substitutionText(lineFor('lossQ1'))).toBe('(0.25 - (-0.685))² = 0.874');
    expect(substitutionText(lineFor('lossQ2'))).toBe('(0.3 - (-0.640))² = 0.884');
    expect(substitutionText(lineFor('lossV1'))).toBe('(0.15 - 0.450)² = 0.090');
    expect(substitutionText(lineFor('lossV2'))).toBe('(0.2 - 0.500)² = 0.090');
    expect(substitutionText(lineFor('total'))).toBe('0.874 + 0.884 + 0.090 + 0.090 = 1.938');
    expect(substitutionText(lineFor('advantage'))).toBe('min(0.25, 0.3) - min(0.15, 0.2) = 0.100');
    expect(substitutionText(lineFor('pgLoss'))).toBe('-(-2.300 × 0.100) = 0.230');
    expect(substitutionText(lineFor('vbar1Next'))).toBe('0.318');
    expect(substitutionText(lineFor('vTarget1'))).toBe('0.450');
    expect(substitutionText(lineFor('logProb'))).toBe('-2.300');
  });

  it('uses the numbers it is given (nothing hard-coded): a terminal transition, other values', () => {
    const other = workedExampleStages({ ...input, done: true, reward: 0, gamma: 0.95 }, { ...result, qTarget1: 0, vbar1Next: 0.5 });
    const q1 = other.flatMap((s) => s.lines).find((l) => l.key === 'qTarget1')!;
    expect(substitutionText(q1)).toBe('0 + 0.95 × (1 - 1) × 0.500 = 0.000');
  });

  it('says what the sign of the advantage does', () => {
    expect(stages.at(-1)!.explanation).toContain('more likely');
    expect(advantageSignSentence(-0.2)).toContain('less likely');
    expect(advantageSignSentence(0)).toContain('unchanged');
  });
});

describe('inputs table and step-through', () => {
  it('formats the inputs, with V̄ from the result', () => {
    const rows = inputRows(input, { ...result, vbar1Next: 0.123456 });
    const values = rows.map((r) => r.value);
    expect(values).toEqual(['-1', '0.99', 'false (0)', '0.25', '0.3', '0.15', '0.2', '0.123', '0.364', '0.45', '0.5', '0.25', '0.3', '-2.3']);
    expect(samplesStoredAction(input)).toBe(true);
    expect(samplesStoredAction({ ...input, q1Pi: 0.4 })).toBe(false);
  });

  it('keeps the position within the stages and reads it out', () => {
    expect(clampStage(-1, 6)).toBe(0);
    expect(clampStage(9, 6)).toBe(5);
    expect(clampStage(2, 0)).toBe(0);
    expect(clampStage(Number.NaN, 6)).toBe(0);
    const stages = workedExampleStages(input, result);
    expect(stageReadout(1, stages)).toBe('Stage 2 of 6: Q targets');
    expect(stageReadout(7, stages)).toBe('Stage 6 of 6: Policy-gradient loss');
  });
});

describe('rendering', () => {
  const testidText = (html: string, key: string): string | undefined => {
    const m = new RegExp(`data-testid="we-${key}"[^>]*>([^<]*)<`).exec(html);
    return m?.[1];
  };

  it('WorkedExampleStages puts the printed digits in the data-testid elements', () => {
    const html = renderToStaticMarkup(createElement(WorkedExampleStages, { input, result }));
    for (const key of ALL_KEYS) expect(testidText(html, key), key).toBe(EXPECTED[key]);
    // The numbers the e2e test parses.
    const parsed = ['qTarget1', 'qTarget2', 'lossQ1', 'lossQ2', 'lossV1', 'lossV2', 'total', 'advantage', 'logProb', 'pgLoss'].map((k) =>
      Number(testidText(html, k)),
    );
    expect(parsed).toEqual([-0.685, -0.64, 0.874, 0.884, 0.09, 0.09, 1.938, 0.1, -2.3, 0.23]);
    expect((html.match(/<article/g) ?? []).length).toBe(6);
    expect((html.match(/<h3/g) ?? []).length).toBe(6);
    expect(html).toContain('<math');
    expect(html).toContain('-1 + 0.99 × (1 - 0) × 0.318 = ');
  });

  it('shows only the revealed stages in step-through and marks the current one', () => {
    const html = renderToStaticMarkup(createElement(WorkedExampleStages, { input, result, visible: 2, current: 1 }));
    expect((html.match(/<article/g) ?? []).length).toBe(2);
    expect(testidText(html, 'qTarget1')).toBe('-0.685');
    expect(testidText(html, 'lossQ1')).toBeUndefined();
    expect(html).toContain('we-stage we-current" aria-labelledby="we-stage-qTargets"');
  });

  it('the lesson starts in a loading state, without touching the worker during render', () => {
    const html = renderToStaticMarkup(createElement(WorkedExampleLesson));
    expect(html).toContain('data-testid="worked-example"');
    expect(html).toContain('Worked example: one ArCHer update by hand');
    expect(html).toContain('role="status"');
  });
});
