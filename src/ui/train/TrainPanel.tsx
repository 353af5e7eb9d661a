import { memo, useEffect, useMemo } from 'react';
import { LineChartSvg } from '../charts/LineChartSvg';
import { trainerWorker } from '../clients/trainer-client';
import { useRunStore, type MetricsRow } from './run-store';
import { useSettingsStore } from './settings-store';
import { initRun } from './run-controller';

export function TrainPanel() {
  const { status, rows } = useRunStore();
  const { config, hashError } = useSettingsStore();
  const busy = status.state === 'loading';
  const init = () => initRun(useSettingsStore.getState().config);

  useEffect(() => {
    void init();
  }, []);

  const start = () => void trainerWorker().start();
  const pause = () => void trainerWorker().pause();
  const step = () => void trainerWorker().stepOnce();

  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">Train ArCHer on Twenty Questions</h2>
      <p className="note">
        {config.env.subset === 'subset10' ? 'The 10-object game' : 'The full object list'}, {config.algorithm.rollout_size} games an
        iteration, {config.algorithm.critic_epochs} critic and {config.algorithm.actor_epochs} actor steps
        {config.archer.token_level ? ' (token-level)' : ''}, seed {config.seed}.
      </p>
      <div className="row">
        <button type="button" onClick={start} disabled={status.state !== 'ready' && status.state !== 'paused'}>
          Start
        </button>
        <button type="button" onClick={pause} disabled={status.state !== 'running'}>
          Pause
        </button>
        <button type="button" onClick={step} disabled={status.state !== 'ready' && status.state !== 'paused'}>
          Step one iteration
        </button>
        <button type="button" onClick={() => void init()} disabled={busy || status.state === 'running'}>
          Reset
        </button>
      </div>
      <dl className="facts" data-testid="run-facts">
        <div><dt>state</dt><dd data-testid="run-state">{status.state}</dd></div>
        <div><dt>backend</dt><dd>{status.backend ?? '…'}</dd></div>
        <div><dt>iteration</dt><dd data-testid="run-iteration">{status.iteration}</dd></div>
        <div><dt>trajectories</dt><dd>{status.trajectories}</dd></div>
        <div><dt>reference return</dt><dd>{status.reference?.toFixed(2) ?? '…'}</dd></div>
        <div><dt>expert bound</dt><dd>{status.optimalBound?.toFixed(2) ?? '…'}</dd></div>
      </dl>
      {status.message && <p role="status">{status.message}</p>}
      {hashError && <p role="alert" className="error">Settings in the link were not used: {hashError}</p>}
      <ReturnChart rows={rows} reference={status.reference} bound={status.optimalBound} />
    </section>
  );
}

/** Rollout return against trajectories, with the reference policy and the expert bound; re-renders only when its inputs change. */
const ReturnChart = memo(function ReturnChart({ rows, reference, bound }: { rows: MetricsRow[]; reference?: number; bound?: number }) {
  const points = useMemo(() => rows.map((r) => ({ x: r.trajectories ?? 0, y: r['rollout/return/mean'] ?? Number.NaN })).filter((p) => Number.isFinite(p.y)), [rows]);
  const references = [
    ...(bound !== undefined ? [{ name: 'expert bound', color: '#1e7b34', y: bound }] : []),
    ...(reference !== undefined ? [{ name: 'reference policy', color: '#b8860b', y: reference }] : []),
  ];
  return (
    <div className="chart" data-testid="return-chart" data-points={points.length}>
      <LineChartSvg
        label="Rollout return against trajectories"
        series={[{ name: 'rollout return', color: '#1f3b5c', points }]}
        references={references}
        yDomain={[-20, 0]}
        xLabel="trajectories"
      />
    </div>
  );
});
