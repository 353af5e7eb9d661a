/**
 * Live training charts for the Train panel: rollout return and success, the critic's Q/V/target
 * values and the actor's advantage as small multiples, and every loss present in the metrics.
 *
 * Cheap by design (the page must have no long task while training): hand-written SVG charts with
 * one path per line or band, at most MAX_DRAWN rows drawn (MAX_DRAWN_SMALL in the small
 * multiples; longer runs are thinned), and memoised
 * components that re-render only when a metrics row arrives (status messages do not touch them).
 */
import { memo, useMemo, useDeferredValue } from 'react';
import { LineChartSvg, type ChartReference, type ChartSeries } from '../charts/LineChartSvg';
import { countFinite, downsample, extractSeries, extractStats, hasKey, testIdFor } from '../charts/chart-math';
import { useRunStore, type MetricsRow } from './run-store';

/** Rows drawn at most in the Return and Success charts; longer runs keep the first, the last and every stride-th row. */
export const MAX_DRAWN = 400;
/** Rows drawn at most in each small multiple (about one point per two pixels of its width). */
export const MAX_DRAWN_SMALL = 160;

const MINMAX_OPACITY = 0.12;
const STD_OPACITY = 0.28;

/** The critic's statistics and the actor's advantage, one small chart each (x = iteration). */
export const CRITIC_STATS: { id: string; prefix: string; title: string; color: string }[] = [
  { id: 'q1', prefix: 'critic/q1', title: 'Q1', color: '#1f3b5c' },
  { id: 'q2', prefix: 'critic/q2', title: 'Q2', color: '#2f6690' },
  { id: 'v1', prefix: 'critic/v1', title: 'V1', color: '#8c2f39' },
  { id: 'v2', prefix: 'critic/v2', title: 'V2', color: '#b5523b' },
  { id: 'target_q1', prefix: 'critic/target_q1', title: 'target Q1', color: '#5a3d7a' },
  { id: 'target_q2', prefix: 'critic/target_q2', title: 'target Q2', color: '#7d5ba6' },
  { id: 'advantage', prefix: 'actor/advantage', title: 'advantage (Q - V)', color: '#1e7b34' },
];

/** A*PO has no critic: its small multiples are V* of the drawn starts, the advantage r - V* and the return. */
export const APO_STATS: { id: string; prefix: string; title: string; color: string }[] = [
  { id: 'v_star', prefix: 'apo/v_star', title: 'V* (cached, stage 1)', color: '#5a3d7a' },
  { id: 'advantage', prefix: 'actor/advantage', title: 'advantage (r - V*)', color: '#1e7b34' },
  { id: 'return', prefix: 'rollout/return', title: 'episode return', color: '#1f3b5c' },
];

/** PPO: the value head's token values, the advantage before whitening (and ArCHer's turn-level one when mixed in), the return. */
export const PPO_STATS: { id: string; prefix: string; title: string; color: string }[] = [
  { id: 'value', prefix: 'critic/value', title: 'V (value head, per token)', color: '#8c2f39' },
  { id: 'advantage', prefix: 'actor/advantage', title: 'advantage (GAE)', color: '#1e7b34' },
  { id: 'turn_advantage', prefix: 'actor/turn_advantage', title: 'turn advantage (G - V)', color: '#5a3d7a' },
  { id: 'return', prefix: 'rollout/return', title: 'episode return', color: '#1f3b5c' },
];

/** GRPO and filtered BC have no critic: the advantage (GRPO's group-normalised return) and the return. */
export const CRITIC_FREE_STATS: { id: string; prefix: string; title: string; color: string }[] = [
  { id: 'advantage', prefix: 'actor/advantage', title: 'advantage (group-normalised)', color: '#1e7b34' },
  { id: 'return', prefix: 'rollout/return', title: 'episode return', color: '#1f3b5c' },
];

/** Which small multiples a run's latest row calls for, and their heading. */
export function statsFor(row: MetricsRow | undefined): { heading: string; stats: typeof CRITIC_STATS } {
  const has = (k: string) => row?.[k] !== undefined;
  if (has('apo/v_star/mean')) return { heading: 'A*PO values (no critic)', stats: APO_STATS };
  if (has('critic/value/mean')) return { heading: 'PPO values (value head)', stats: PPO_STATS.filter((c) => c.id !== 'turn_advantage' || has('actor/turn_advantage/mean')) };
  if (has('filtered_bc/threshold')) return { heading: 'Filtered BC (no critic)', stats: CRITIC_FREE_STATS.filter((c) => c.id === 'return') };
  if (has('actor/clip_frac')) return { heading: 'GRPO values (no critic)', stats: CRITIC_FREE_STATS };
  return { heading: 'Critic values', stats: CRITIC_STATS };
}

/** One line of an instrument chart. */
export interface InstrumentLine {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
}

/**
 * ArCHer's instruments (trainer.diagnostics), two charts against iteration: how good the critic is
 * on episodes it has not trained on yet, and what the policy does.
 */
export const INSTRUMENT_CHARTS: { id: string; title: string; note: string; lines: InstrumentLine[] }[] = [
  {
    id: 'critic-quality',
    title: 'How good is the critic?',
    note: '1 = perfect; 0 = knows nothing the mean does not. Rank: does Q order the candidate questions as the expert\'s information gain does?',
    lines: [
      { key: 'critic/ev_v', name: 'explained variance of V', color: '#8c2f39' },
      { key: 'critic/ev_q', name: 'explained variance of Q', color: '#1f3b5c' },
      { key: 'critic/q_rank_ig', name: 'rank agreement of Q with information gain', color: '#1e7b34', dashed: true },
    ],
  },
  {
    id: 'policy-behaviour',
    title: 'What does the policy do?',
    note: 'Entropy per token, the share of invalid and repeated questions, and the share of sampled questions the critic scores above their baseline (V, or the other samples).',
    lines: [
      { key: 'actor/entropy', name: 'entropy', color: '#5a3d7a' },
      { key: 'rollout/invalid_rate', name: 'invalid questions', color: '#a12a2a', dashed: true },
      { key: 'rollout/repeat_rate', name: 'repeated questions', color: '#b8860b', dashed: true },
      { key: 'actor/advantage/pos_frac', name: 'advantage > 0', color: '#1e7b34' },
    ],
  },
];

/** Losses (and a few optimisation diagnostics) charted when the rows have them. */
export const LOSS_KEYS: string[] = [
  'critic/loss',
  'critic/q1_loss',
  'critic/q2_loss',
  'critic/v1_loss',
  'critic/v2_loss',
  'actor/pg_loss',
  'actor/loss',
  'actor/token_baseline_loss',
  'actor/apo_loss',
  'critic/value_loss',
  'actor/bc_loss',
  'filtered_bc/threshold',
  'actor/clip_frac',
  'actor/approx_kl',
  'actor/kl',
  'actor/entropy',
  'critic/grad_norm',
  'actor/grad_norm',
];

/** Mount anywhere under the lab (it reads useRunStore itself): `<TrainingCharts />`. */
export const TrainingCharts = memo(function TrainingCharts() {
  // Deferred: the charts re-render in a time-sliced transition, so a metrics message never
  // becomes one long main-thread task.
  const rows = useDeferredValue(useRunStore((s) => s.rows));
  const reference = useRunStore((s) => s.status.reference);
  const bound = useRunStore((s) => s.status.optimalBound);
  const boundLabel = useRunStore((s) => s.status.boundLabel);
  const referenceSuccess = useRunStore((s) => s.status.referenceSuccess);
  const drawn = useMemo(() => downsample(rows, MAX_DRAWN), [rows]);
  const small = useMemo(() => downsample(rows, MAX_DRAWN_SMALL), [rows]);
  const { heading, stats } = statsFor(rows[rows.length - 1]);

  if (rows.length === 0) {
    return (
      <section className="training-charts" aria-label="Training charts">
        <p className="note" data-testid="charts-placeholder">Start the run: charts fill in after each iteration.</p>
      </section>
    );
  }
  return (
    <section className="training-charts" aria-label="Training charts" data-rows={rows.length}>
      <div className="chart-grid chart-grid-wide">
        <div>
          <h3>Return</h3>
          <ReturnChart rows={drawn} reference={reference} bound={bound} boundLabel={boundLabel} />
        </div>
        <div>
          <h3>Success</h3>
          <SuccessChart rows={drawn} referenceSuccess={referenceSuccess} />
        </div>
      </div>
      <h3>{heading}</h3>
      <p className="chart-note">Mean per iteration; light band: min to max, dark band: mean ± std.</p>
      <div className="chart-grid">
        {stats.map((c) => (
          <StatChart key={c.id} rows={small} testId={`chart-critic-${c.id}`} prefix={c.prefix} title={c.title} color={c.color} />
        ))}
      </div>
      {hasKey(small, 'critic/ev_v') && (
        <>
          <h3>Critic quality and policy behaviour</h3>
          <div className="chart-grid">
            {INSTRUMENT_CHARTS.map((c) => (
              <InstrumentChart key={c.id} rows={small} id={c.id} title={c.title} note={c.note} lines={c.lines} />
            ))}
          </div>
        </>
      )}
      <h3>Losses</h3>
      <LossCharts rows={small} />
    </section>
  );
});

const ReturnChart = memo(function ReturnChart({ rows, reference, bound, boundLabel = 'expert bound' }: { rows: MetricsRow[]; reference?: number; bound?: number; boundLabel?: string }) {
  const { series, drawnPoints } = useMemo(() => {
    const st = extractStats(rows, 'trajectories', 'rollout/return');
    const s: ChartSeries = {
      name: 'rollout return (mean)',
      color: '#1f3b5c',
      points: st.points,
      bands: [
        { name: 'min–max', values: st.minMax, opacity: MINMAX_OPACITY },
        { name: '± std', values: st.std, opacity: STD_OPACITY },
      ],
    };
    return { series: [s], drawnPoints: countFinite(st.points) };
  }, [rows]);
  const references = useMemo<ChartReference[]>(
    () => [
      ...(bound !== undefined && Number.isFinite(bound) ? [{ name: boundLabel, color: '#1e7b34', y: bound }] : []),
      ...(reference !== undefined && Number.isFinite(reference) ? [{ name: 'reference policy', color: '#b8860b', y: reference }] : []),
    ],
    [reference, bound, boundLabel],
  );
  return (
    <div className="chart" data-testid="chart-return" data-points={drawnPoints}>
      <LineChartSvg label="Rollout return against trajectories: mean with min-max and std bands" series={series} references={references} xLabel="trajectories" width={520} height={240} />
    </div>
  );
});

const SuccessChart = memo(function SuccessChart({ rows, referenceSuccess }: { rows: MetricsRow[]; referenceSuccess?: number }) {
  const { series, drawnPoints } = useMemo(() => {
    const success = extractSeries(rows, 'trajectories', 'rollout/success_rate');
    const s: ChartSeries[] = [{ name: 'success rate', color: '#1f3b5c', points: success }];
    if (hasKey(rows, 'rollout/invalid_rate')) {
      s.push({ name: 'invalid-question rate', color: '#a12a2a', points: extractSeries(rows, 'trajectories', 'rollout/invalid_rate'), dashed: true });
    }
    return { series: s, drawnPoints: countFinite(success) };
  }, [rows]);
  const references = useMemo<ChartReference[]>(
    () => [
      { name: 'expert', color: '#1e7b34', y: 1 },
      ...(referenceSuccess !== undefined && Number.isFinite(referenceSuccess) ? [{ name: 'reference policy', color: '#b8860b', y: referenceSuccess }] : []),
    ],
    [referenceSuccess],
  );
  return (
    <div className="chart" data-testid="chart-success" data-points={drawnPoints}>
      <LineChartSvg label="Success rate and invalid-question rate against trajectories" series={series} references={references} yDomain={[0, 1]} xLabel="trajectories" width={520} height={240} />
    </div>
  );
});

interface StatChartProps {
  rows: MetricsRow[];
  testId: string;
  prefix: string;
  title: string;
  color: string;
}

/** One small multiple: `${prefix}/mean` with min-max and mean +- std bands against iteration. */
const StatChart = memo(function StatChart({ rows, testId, prefix, title, color }: StatChartProps) {
  const { series, drawnPoints } = useMemo(() => {
    const st = extractStats(rows, 'iteration', prefix);
    const s: ChartSeries = {
      name: `${title} mean`,
      color,
      points: st.points,
      bands: [
        { name: 'min–max', values: st.minMax, opacity: MINMAX_OPACITY },
        { name: '± std', values: st.std, opacity: STD_OPACITY },
      ],
    };
    return { series: [s], drawnPoints: countFinite(st.points) };
  }, [rows, prefix, title, color]);
  return (
    <div className="chart chart-cell" data-testid={testId} data-points={drawnPoints}>
      <h4>{title} <code>{prefix}</code></h4>
      <LineChartSvg label={`${title} (${prefix}) against iteration: mean with min-max and std bands`} series={series} xLabel="iteration" width={340} height={170} legend={false} />
    </div>
  );
});

/** Several metrics as lines on one chart against iteration (those the rows have). */
const InstrumentChart = memo(function InstrumentChart({ rows, id, title, note, lines }: { rows: MetricsRow[]; id: string; title: string; note: string; lines: InstrumentLine[] }) {
  const { series, drawnPoints } = useMemo(() => {
    const present = lines.filter((l) => hasKey(rows, l.key));
    const s: ChartSeries[] = present.map((l) => ({ name: l.name, color: l.color, points: extractSeries(rows, 'iteration', l.key), dashed: l.dashed }));
    return { series: s, drawnPoints: Math.max(0, ...s.map((x) => countFinite(x.points))) };
  }, [rows, lines]);
  return (
    <div className="chart chart-cell" data-testid={`chart-${id}`} data-points={drawnPoints}>
      <h4>{title}</h4>
      <LineChartSvg label={`${title} ${lines.map((l) => l.name).join(', ')} against iteration`} series={series} xLabel="iteration" width={340} height={190} />
      <p className="chart-note">{note}</p>
    </div>
  );
});

const LossCharts = memo(function LossCharts({ rows }: { rows: MetricsRow[] }) {
  const keys = useMemo(() => LOSS_KEYS.filter((k) => hasKey(rows, k)), [rows]);
  if (keys.length === 0) return <p className="chart-note">No losses in the metrics yet.</p>;
  return (
    <div className="chart-grid">
      {keys.map((k) => (
        <LossChart key={k} rows={rows} metric={k} />
      ))}
    </div>
  );
});

const LossChart = memo(function LossChart({ rows, metric }: { rows: MetricsRow[]; metric: string }) {
  const { series, drawnPoints } = useMemo(() => {
    const points = extractSeries(rows, 'iteration', metric);
    const color = metric.startsWith('critic/') ? '#2f6690' : '#8c2f39';
    return { series: [{ name: metric, color, points }], drawnPoints: countFinite(points) };
  }, [rows, metric]);
  return (
    <div className="chart chart-cell" data-testid={`chart-loss-${testIdFor(metric)}`} data-points={drawnPoints}>
      <h4><code>{metric}</code></h4>
      <LineChartSvg label={`${metric} against iteration`} series={series} xLabel="iteration" width={340} height={150} legend={false} />
    </div>
  );
});
