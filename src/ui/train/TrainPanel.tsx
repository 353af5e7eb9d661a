import { useEffect, useState } from 'react';
import * as Comlink from 'comlink';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { applyOverrides, defaultConfig, type Config } from '../../core/config';
import { trainerWorker, type TrainerEvent } from '../clients/trainer-client';
import { useRunStore } from './run-store';

/** The lab's out-of-the-box run: the 10-object game, small rollouts, so learning shows within minutes. */
export function labDefaults(): Config {
  const c = defaultConfig();
  c.env.subset = 'subset10';
  c.algorithm.rollout_size = 16;
  c.algorithm.critic_epochs = 10;
  c.algorithm.actor_epochs = 2;
  c.algorithm.warmup_iterations = 5;
  c.algorithm.lm_lr = 2e-4;
  c.algorithm.gamma = 0.95;
  return c;
}

/** Settings from the URL hash (`key=value&...`, a shared link) over the lab's defaults; an error names the bad key. */
function configFromLocation(): { config: Config; error?: string } {
  const parts = window.location.hash.replace(/^#/, '').split('&').filter(Boolean).map(decodeURIComponent);
  try {
    return { config: applyOverrides(labDefaults(), parts) };
  } catch (e) {
    return { config: labDefaults(), error: e instanceof Error ? e.message : String(e) };
  }
}

export function TrainPanel() {
  const { status, rows, setStatus, addRow, reset } = useRunStore();
  const [hashError, setHashError] = useState<string | undefined>();
  const busy = status.state === 'loading';

  const init = async () => {
    const { config, error } = configFromLocation();
    setHashError(error);
    reset();
    const listener = Comlink.proxy((e: TrainerEvent) => {
      if (e.kind === 'status') setStatus(e.status);
      else addRow(e.row);
    });
    return trainerWorker().init(config, listener);
  };

  useEffect(() => {
    void init();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const start = () => void trainerWorker().start();
  const pause = () => void trainerWorker().pause();
  const step = () => void trainerWorker().stepOnce();
  const data = rows.map((r) => ({ trajectories: r.trajectories, return: r['rollout/return/mean'], success: r['rollout/success_rate'] }));

  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">Train ArCHer on Twenty Questions</h2>
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
      <div className="chart" data-testid="return-chart" data-points={data.length}>
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="trajectories" type="number" domain={['dataMin', 'dataMax']} label={{ value: 'trajectories', position: 'insideBottom', offset: -4 }} />
            <YAxis domain={[-20, 0]} />
            <Tooltip />
            <Legend />
            {status.optimalBound !== undefined && <ReferenceLine y={status.optimalBound} stroke="#1e7b34" strokeDasharray="6 3" label="expert bound" />}
            {status.reference !== undefined && <ReferenceLine y={status.reference} stroke="#8a6d00" strokeDasharray="2 2" label="reference" />}
            <Line type="monotone" dataKey="return" name="rollout return" stroke="#1f3b5c" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
