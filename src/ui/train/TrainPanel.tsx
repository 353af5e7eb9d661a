import { useEffect, useState } from 'react';
import { TrainingCharts } from './TrainingCharts';
import { BACKENDS, type BackendChoice } from '../../core/models/backend-choice';
import { useRunStore } from './run-store';
import { useSettingsStore } from './settings-store';
import { benchmarkBackends, pauseRun, resetRun, startLab, startRun, stepRun, switchBackend } from './run-controller';
import type { RunStatus } from '../clients/trainer-client';
import { SUBSET_LABELS } from '../../core/envs/twenty-questions/subsets';

/** 83 s -> "1:23"; an hour and more -> "1:02:03". */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function report(e: unknown): void {
  const { status, setStatus } = useRunStore.getState();
  setStatus({ ...status, message: e instanceof Error ? e.message : String(e) });
}

export function TrainPanel() {
  const status = useRunStore((s) => s.status);
  const { config, hashError } = useSettingsStore();
  const idle = status.state === 'ready' || status.state === 'paused';

  useEffect(() => {
    void startLab();
  }, []);

  const total = status.totalIterations ?? config.trainer.total_training_steps;
  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">Train ArCHer on Twenty Questions</h2>
      {status.runName && <p className="run-name" data-testid="active-run-name">Run: {status.runName}</p>}
      <p className="note">
        Twenty Questions on {SUBSET_LABELS[config.env.subset]}, {config.algorithm.rollout_size} games an
        iteration, {config.algorithm.critic_epochs} critic and {config.algorithm.actor_epochs} actor steps
        {config.archer.token_level ? ' (token-level)' : ''}, seed {config.seed}.
      </p>
      <div className="row">
        <button type="button" onClick={() => void startRun().catch(report)} disabled={!idle}>
          Start
        </button>
        <button type="button" onClick={() => void pauseRun()} disabled={status.state !== 'running'}>
          Pause
        </button>
        <button type="button" onClick={() => void stepRun(1).catch(report)} disabled={!idle}>
          Step one iteration
        </button>
        <button type="button" onClick={() => void resetRun()} disabled={status.state === 'loading' || status.state === 'running'}>
          Reset
        </button>
      </div>
      <dl className="facts" data-testid="run-facts">
        <div><dt>state</dt><dd data-testid="run-state">{status.state}</dd></div>
        <div><dt>backend</dt><dd data-testid="run-backend">{status.backend ?? '…'}</dd></div>
        <div><dt>iteration</dt><dd><span data-testid="run-iteration">{status.iteration}</span> / {total}</dd></div>
        <div><dt>trajectories</dt><dd data-testid="run-trajectories">{status.trajectories}</dd></div>
        <div><dt>training time</dt><dd data-testid="run-elapsed">{formatElapsed(status.elapsedMs)}</dd></div>
        <div><dt>reference return</dt><dd>{status.reference?.toFixed(2) ?? '…'}</dd></div>
        <div><dt>{status.boundLabel ?? 'expert bound'}</dt><dd>{status.optimalBound?.toFixed(2) ?? '…'}</dd></div>
        <div><dt>saved at</dt><dd data-testid="run-saved">{status.runId ? (status.savedIteration !== undefined ? `iteration ${status.savedIteration}` : 'not yet') : 'not saved'}</dd></div>
      </dl>
      <progress className="run-progress" max={total} value={Math.min(status.iteration, total)} aria-label={`iteration ${status.iteration} of ${total}`} />
      {status.message && <p role="status" data-testid="run-message">{status.message}</p>}
      {status.notice && (
        <p role="alert" className="notice" data-testid="backend-notice">
          {status.notice}
        </p>
      )}
      {status.storageError && (
        <p role="alert" className="notice" data-testid="storage-error">
          {status.storageError}
        </p>
      )}
      {hashError && <p role="alert" className="error">Settings in the link were not used: {hashError}</p>}
      <BackendControls status={status} />
      <TrainingCharts />
    </section>
  );
}

/** Which tfjs backend runs, what the browser offers, switching, and the self-benchmark. */
function BackendControls({ status }: { status: RunStatus }) {
  const choice = useSettingsStore((s) => s.backend);
  const setChoice = useSettingsStore((s) => s.setBackend);
  const [draft, setDraft] = useState<BackendChoice>(choice);
  const idle = status.state === 'ready' || status.state === 'paused';
  const probe = (name: string) => status.probes?.find((p) => p.name === name);
  const label = (name: string) => {
    const p = probe(name);
    if (!p) return name;
    if (!p.available) return `${name} (not available: ${p.detail})`;
    return `${name}${p.name === 'webgpu' || p.name === 'webgl' ? (p.software ? ' (software adapter)' : ' (GPU)') : ''}`;
  };
  return (
    <details className="backend">
      <summary>Backend: {status.backend ?? '…'}{status.backendChoice && status.backendChoice !== 'auto' ? ` (chosen: ${status.backendChoice})` : ' (auto)'}</summary>
      <p className="note">
        auto uses a real GPU through WebGPU or WebGL when the browser has one, else WebAssembly. Switching moves the run as it
        is (weights, optimisers, replay buffer) to the new backend.
      </p>
      <div className="row">
        <label htmlFor="backend-select">tfjs backend</label>
        <select id="backend-select" value={draft} onChange={(e) => setDraft(e.target.value as BackendChoice)}>
          <option value="auto">auto</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>{label(b)}</option>
          ))}
        </select>
        <button
          type="button"
          disabled={!idle || draft === (status.backendChoice ?? choice)}
          onClick={() => {
            setChoice(draft);
            void switchBackend(draft).catch(report);
          }}
        >
          Switch backend
        </button>
        <button type="button" disabled={!idle} onClick={() => void benchmarkBackends().then((r) => r.length > 0 && setChoice(useRunStore.getState().status.backendChoice ?? 'auto')).catch(report)}>
          Benchmark backends
        </button>
      </div>
      {status.benchmark && status.benchmark.length > 0 && (
        <table className="benchmark" data-testid="benchmark-table">
          <caption>One small training iteration (4 games of up to 6 turns, 1 critic and 1 actor step), median of 3 after a warm-up (1 run for a backend whose warm-up takes over 10 s)</caption>
          <thead>
            <tr><th scope="col">backend</th><th scope="col">median ms</th><th scope="col">runs</th></tr>
          </thead>
          <tbody>
            {status.benchmark.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td>{r.medianMs !== undefined ? r.medianMs.toFixed(0) : '—'}</td>
                <td>{r.error ?? r.runs?.map((x) => x.toFixed(0)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

