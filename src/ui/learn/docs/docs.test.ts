import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FIELDS, type FieldSpec } from '../../../core/config';
import { texToMathml } from '../Formula';
import { APO_TEX, ApoPage } from './ApoPage';
import { ARCHER_INTUITIONS, ARCHER_TEX, ArcherPage, formatNumber, formatRange } from './ArcherPage';
import { COMPARISON_COLUMNS, COMPARISON_ROWS, PpoVsArcherPage } from './PpoVsArcherPage';

const render = (C: FunctionComponent) => renderToStaticMarkup(createElement(C));

/** Text as react-dom/server escapes it. */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

/** The <table> carrying the given data-testid, as markup. */
function tableByTestId(html: string, testId: string): string {
  const start = html.indexOf(`<table class="doc-table`);
  const at = html.indexOf(`data-testid="${testId}"`);
  expect(at, `table ${testId}`).toBeGreaterThan(-1);
  const open = html.lastIndexOf('<table', at);
  expect(open).toBeGreaterThanOrEqual(start);
  const close = html.indexOf('</table>', at);
  return html.slice(open, close + '</table>'.length);
}

/** The <tr data-key="key"> row of a settings table. */
function rowOf(table: string, key: string): string | undefined {
  const at = table.indexOf(`<tr data-key="${key}">`);
  if (at < 0) return undefined;
  return table.slice(at, table.indexOf('</tr>', at));
}

const fields: readonly FieldSpec[] = FIELDS;
const apoFields = fields.filter((f) => f.group === 'A*PO');
const archerFields = fields.filter((f) => f.group !== 'A*PO');

describe('ArCHer page', () => {
  const html = render(ArcherPage);

  it('renders a doc-page section with an id’d h2 and h3 sections', () => {
    expect(html).toMatch(/^<section class="panel doc-page" data-testid="doc-archer" aria-labelledby="doc-archer-title">/);
    expect(html).toContain('<h2 id="doc-archer-title">');
    expect((html.match(/<h3 id="doc-archer-[a-z-]+">/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).toContain('<pre class="doc-code">');
  });

  it('lists every non-A*PO setting with its help text, and no A*PO setting', () => {
    const table = tableByTestId(html, 'archer-settings-table');
    expect(table).toContain('<caption>');
    expect(archerFields.length).toBeGreaterThan(0);
    for (const f of archerFields) {
      const row = rowOf(table, f.key);
      expect(row, f.key).toBeDefined();
      expect(row).toContain(`<code>${f.key}</code>`);
      expect(row).toContain(escapeHtml(f.help));
      expect(row).toContain(escapeHtml(formatRange(f)));
      expect(row).toContain(f.live ? '>live<' : '>restart<');
    }
    for (const f of apoFields) expect(rowOf(table, f.key), f.key).toBeUndefined();
    expect((table.match(/<tr data-key=/g) ?? []).length).toBe(archerFields.length);
  });

  it('gives hand-written intuition for the most important settings', () => {
    const keys = ARCHER_INTUITIONS.map(([k]) => k);
    for (const k of [
      'algorithm.tau', 'algorithm.gamma', 'algorithm.critic_epochs', 'algorithm.actor_epochs', 'algorithm.warmup_iterations',
      'algorithm.lm_lr', 'algorithm.critic_lr', 'algorithm.rollout_size', 'algorithm.batch_size',
      'actor_rollout_ref.rollout.temperature', 'actor_rollout_ref.actor.entropy_coeff', 'archer.token_level',
    ]) expect(keys).toContain(k);
    const list = html.slice(html.indexOf('data-testid="archer-intuitions"'));
    for (const k of keys) expect(list).toContain(`<code>${k}</code>`);
  });

  it('renders every formula as MathML, with no TeX errors', () => {
    const n = Object.keys(ARCHER_TEX).length;
    expect((html.match(/<math/g) ?? []).length).toBe(n);
    expect(html).not.toContain('katex-error');
    for (const tex of Object.values(ARCHER_TEX)) expect(texToMathml(tex, true)).toContain('<math');
    expect(html).toContain('<mo>−</mo><mi>τ</mi>'); // (1 − τ) in the Polyak update
  });
});

describe('A*PO page', () => {
  const html = render(ApoPage);

  it('renders, says how to train it here, and shows its formulas as MathML', () => {
    expect(html).toMatch(/^<section class="panel doc-page" data-testid="doc-apo" aria-labelledby="doc-apo-title">/);
    expect(html).toContain('<h2 id="doc-apo-title">');
    expect(html).toMatch(/<strong>Trains here:<\/strong> choose <code>algorithm.name = apo<\/code>/);
    expect((html.match(/<math/g) ?? []).length).toBe(Object.keys(APO_TEX).length);
    expect(html).not.toContain('katex-error');
    expect(html).toContain('<pre class="doc-code">');
  });

  it('lists every apo.* setting with its help text, and nothing else', () => {
    const table = tableByTestId(html, 'apo-settings-table');
    const apoKeys = fields.filter((f) => f.key.startsWith('apo.'));
    expect(apoKeys.length).toBeGreaterThan(0);
    for (const f of apoKeys) {
      const row = rowOf(table, f.key);
      expect(row, f.key).toBeDefined();
      expect(row).toContain(escapeHtml(f.help));
    }
    expect((table.match(/<tr data-key=/g) ?? []).length).toBe(apoFields.length);
  });
});

describe('PPO vs ArCHer page', () => {
  const html = render(PpoVsArcherPage);

  it('renders a captioned comparison table with the four columns and at least 7 rows', () => {
    expect(html).toMatch(/^<section class="panel doc-page" data-testid="doc-ppo-vs-archer" aria-labelledby="doc-ppo-vs-archer-title">/);
    expect(html).toContain('<h2 id="doc-ppo-vs-archer-title">');
    const table = tableByTestId(html, 'comparison-table');
    expect(html.indexOf('<div class="doc-table-wrap">')).toBeLessThan(html.indexOf('data-testid="comparison-table"'));
    expect(table).toContain('<caption>');
    const head = table.slice(table.indexOf('<thead>'), table.indexOf('</thead>'));
    expect(COMPARISON_COLUMNS).toEqual(['PPO', 'GRPO', 'ArCHer', 'A*PO']);
    for (const c of COMPARISON_COLUMNS) expect(head).toContain(`<th scope="col">${c}</th>`);
    const body = table.slice(table.indexOf('<tbody>'));
    const rows = body.match(/<tr><th scope="row">/g) ?? [];
    expect(rows.length).toBe(COMPARISON_ROWS.length);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const r of COMPARISON_ROWS) expect(r.cells).toHaveLength(4);
    for (const aspect of ['Data flow', 'On- or off-policy', 'critic type', 'Credit assignment', 'Updates per batch', 'Memory', 'Sample efficiency', 'Stability knobs']) {
      expect(body).toContain(aspect);
    }
    expect(body).toContain('under 1k trajectories');
    expect(body).toContain('100×');
  });

  it('ends with 3-4 bullets on when to prefer which', () => {
    const list = html.slice(html.indexOf('data-testid="when-to-prefer"'));
    const items = (list.slice(0, list.indexOf('</ul>')).match(/<li>/g) ?? []).length;
    expect(items).toBeGreaterThanOrEqual(3);
    expect(items).toBeLessThanOrEqual(4);
  });
});

describe('settings cell formatting', () => {
  it('writes numbers as a person reads them', () => {
    expect(formatNumber(100000)).toBe('100,000');
    expect(formatNumber(2 ** 31 - 1)).toBe('2,147,483,647');
    expect(formatNumber(1e-8)).toBe('1e-8');
    expect(formatNumber(0.001)).toBe('0.001');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatRange({ key: 'x', kind: 'number', default: 1e-5, min: 1e-8, max: 1, scale: 'log', help: '', group: 'g' })).toBe('1e-8 – 1 (log scale)');
    expect(formatRange({ key: 'x', kind: 'boolean', default: true, help: '', group: 'g' })).toBe('on / off');
    expect(formatRange({ key: 'x', kind: 'enum', default: 'a', options: ['a', 'b'], help: '', group: 'g' })).toBe('a · b');
  });
});
