/**
 * The runs saved in this browser (IndexedDB, written by the trainer worker): resume, rename,
 * duplicate with the current settings, export to a file, import a file, delete, and compare two
 * runs' return curves.
 */
import { useEffect, useMemo, useState } from 'react';
import { LineChartSvg } from '../charts/LineChartSvg';
import { useRunStore } from '../train/run-store';
import { useSettingsStore } from '../train/settings-store';
import { useRunsStore, type RunSummary } from './runs-store';
import { deleteRun, duplicateRun, exportRun, importRun, refreshRuns, renameRun, resumeRun, runMetrics } from './runs-controller';
import { FileButton } from '../common/FileButton';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function bytes(n?: number): string {
  if (n === undefined) return '…';
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function RunsPanel() {
  const { runs, activeId, usage, error, busy } = useRunsStore();
  const state = useRunStore((s) => s.status.state);
  const saved = useRunStore((s) => s.status.savedIteration);
  const activeName = useRunStore((s) => s.status.runName);
  const [compare, setCompare] = useState<string[]>([]);
  const idle = state !== 'running' && state !== 'loading';

  useEffect(() => {
    void refreshRuns();
  }, [state, saved, activeName]);

  const toggleCompare = (id: string) =>
    setCompare((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id].slice(-2)));

  return (
    <section className="panel runs-panel" aria-labelledby="runs-title" data-testid="runs-panel">
      <h2 id="runs-title">Runs in this browser</h2>
      <p className="note">
        Runs are saved in this browser (IndexedDB): every {useSettingsStore.getState().config.trainer.save_freq} iterations
        (trainer.save_freq) and whenever a run pauses. A reload resumes the last run. Storage used: {bytes(usage?.usage)}
        {usage?.quota ? ` of ${bytes(usage.quota)}` : ''}.
      </p>
      <div className="row">
        <FileButton accept=".tar,application/x-tar" inputLabel="Run file to import" testId="import-run-input" disabled={!idle || busy !== undefined} onFile={(f) => void importRun(f)}>
          Import a run file…
        </FileButton>
        {busy && <span role="status" data-testid="runs-busy">{busy}</span>}
      </div>
      {error && (
        <p role="alert" className="error" data-testid="runs-error">
          {error}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="note">No saved runs yet.</p>
      ) : (
        <div className="runs-table-wrap">
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">compare</th>
                <th scope="col">name</th>
                <th scope="col">iteration</th>
                <th scope="col">saved at</th>
                <th scope="col">updated</th>
                <th scope="col">actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <RunRow
                  key={r.id}
                  run={r}
                  active={r.id === activeId}
                  idle={idle && busy === undefined}
                  comparing={compare.includes(r.id)}
                  onCompare={() => toggleCompare(r.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {compare.length === 2 && <CompareChart ids={compare as [string, string]} runs={runs} />}
    </section>
  );
}

function RunRow({ run, active, idle, comparing, onCompare }: { run: RunSummary; active: boolean; idle: boolean; comparing: boolean; onCompare: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(run.name);
  const [confirmDelete, setConfirmDelete] = useState(false);
  return (
    <tr data-testid="run-row" data-run-id={run.id} className={active ? 'active-run' : undefined}>
      <td>
        <input type="checkbox" checked={comparing} onChange={onCompare} aria-label={`compare ${run.name}`} />
      </td>
      <th scope="row">
        {renaming ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void renameRun(run.id, name).then((ok) => ok && setRenaming(false));
            }}
          >
            <input aria-label={`new name for ${run.name}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            <button type="submit">Save name</button>
          </form>
        ) : (
          <span data-testid="run-name">{run.name}</span>
        )}
        {active && <span className="badge live"> active</span>}
      </th>
      <td>{run.iteration}</td>
      <td>{run.checkpointIteration ?? '—'}</td>
      <td>{when(run.updatedAt)}</td>
      <td className="run-actions">
        {!active && (
          <button type="button" disabled={!idle} onClick={() => void resumeRun(run.id)} aria-label={`resume ${run.name}`}>
            Resume
          </button>
        )}
        <button type="button" disabled={!idle} onClick={() => { setName(run.name); setRenaming((r) => !r); }} aria-label={`rename ${run.name}`}>
          Rename
        </button>
        <button type="button" disabled={!idle} onClick={() => void duplicateRun(run.id)} aria-label={`duplicate ${run.name} with the current settings`}>
          Duplicate
        </button>
        <button type="button" disabled={!idle} onClick={() => void exportRun(run.id)} aria-label={`export ${run.name}`}>
          Export
        </button>
        {confirmDelete ? (
          <>
            <button type="button" className="danger" onClick={() => void deleteRun(run.id).then(() => setConfirmDelete(false))} aria-label={`really delete ${run.name}`}>
              Really delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>Keep</button>
          </>
        ) : (
          <button type="button" disabled={!idle || active} onClick={() => setConfirmDelete(true)} aria-label={`delete ${run.name}`}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

const COLORS = ['#1f3b5c', '#c0392b'];

function CompareChart({ ids, runs }: { ids: [string, string]; runs: RunSummary[] }) {
  const [series, setSeries] = useState<{ id: string; rows: Record<string, number>[] }[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all(ids.map(async (id) => ({ id, rows: await runMetrics(id) }))).then((s) => live && setSeries(s));
    return () => {
      live = false;
    };
  }, [ids[0], ids[1]]);
  const chartSeries = useMemo(
    () =>
      series.map((s, i) => ({
        name: runs.find((r) => r.id === s.id)?.name ?? s.id,
        color: COLORS[i] ?? '#555',
        points: s.rows.map((r) => ({ x: r.trajectories ?? 0, y: r['rollout/return/mean'] ?? Number.NaN })),
      })),
    [series, runs],
  );
  return (
    <div className="chart" data-testid="compare-chart" data-series={chartSeries.length} data-points={chartSeries.map((s) => s.points.length).join(',')}>
      <h3>Compare: rollout return against trajectories</h3>
      <LineChartSvg label="Two runs' rollout return against trajectories" series={chartSeries} xLabel="trajectories" />
    </div>
  );
}
