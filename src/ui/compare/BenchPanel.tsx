/**
 * Sample efficiency, overlaid: the benchmark's algorithms (mean over seeds, min-max band) against
 * trajectories or training seconds on one chart, with the threshold, the reference policy, and this lab's own run
 * smoothed the same way. Shows the shipped result (public/bench/sample-efficiency.json) or a file
 * from the user's own `npm run bench -- sample-efficiency`, with the settings each algorithm trained
 * with (and, for a tuned bench, every setting it tried). Nothing is fetched until asked.
 */
import { useMemo, useState } from 'react';
import { FileButton } from '../common/FileButton';
import { LineChartSvg, type ChartReference } from '../charts/LineChartSvg';
import { useRunStore } from '../train/run-store';
import { useSettingsStore } from '../train/settings-store';
import { hasSeconds, labRunSeries, overlaySeries, parseSampleEfficiency, type BenchAxis, type SampleEfficiencyFile } from './bench-view';

const fmt = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2));

export function BenchPanel() {
  const [file, setFile] = useState<SampleEfficiencyFile>();
  const [source, setSource] = useState<string>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = async (what: string, text: () => Promise<string>) => {
    setLoading(true);
    setError(undefined);
    try {
      setFile(parseSampleEfficiency(await text()));
      setSource(what);
    } catch (e) {
      setError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setLoading(false);
    }
  };
  const loadShipped = () =>
    load('the shipped benchmark', async () => {
      const r = await fetch(`${import.meta.env.BASE_URL}bench/sample-efficiency.json`);
      if (!r.ok) throw new Error(`could not fetch it (HTTP ${r.status})`);
      return r.text();
    });

  return (
    <section className="panel bench-panel" aria-labelledby="bench-title" data-testid="bench-panel">
      <h2 id="bench-title">Sample efficiency: ArCHer against the baselines</h2>
      <p className="note">
        <code>npm run bench -- sample-efficiency</code> trains ArCHer and the baselines (PPO, its bi-level GAE and ArCHer
        estimators, GRPO, filtered BC, A*PO) from the same reference policy on Twenty Questions, several seeds each, and
        writes one file; with <code>--tune</code> every algorithm first gets the same tuning budget. Its curves are overlaid
        here with your current run.
      </p>
      <div className="row">
        <button type="button" onClick={() => void loadShipped()} disabled={loading} data-testid="bench-load-shipped">
          Show the shipped benchmark
        </button>
        <FileButton accept=".json,application/json" inputLabel="Benchmark file to load" testId="bench-file-input" disabled={loading} onFile={(f) => void load(f.name, () => f.text())}>
          Load a sample-efficiency.json…
        </FileButton>
        {loading && <span role="status">loading…</span>}
      </div>
      {error && (
        <p role="alert" className="error" data-testid="bench-error">
          {error}
        </p>
      )}
      {file && <BenchView file={file} source={source ?? ''} />}
    </section>
  );
}

function BenchView({ file, source }: { file: SampleEfficiencyFile; source: string }) {
  const rows = useRunStore((s) => s.rows);
  const algo = useSettingsStore((s) => s.config.algorithm.name);
  const env = useSettingsStore((s) => s.config.env);
  const comparable = env.name === 'twenty-questions' && env.subset === file.subset;
  const timed = hasSeconds(file);
  const [chosenAxis, setAxis] = useState<BenchAxis>('trajectories');
  const axis: BenchAxis = timed ? chosenAxis : 'trajectories';
  const series = useMemo(() => {
    const s = overlaySeries(file, axis);
    const mine = comparable ? labRunSeries(rows, file.window, `this lab run (${algo})`, axis) : undefined;
    return mine ? [...s, mine] : s;
  }, [file, rows, algo, comparable, axis]);
  const references = useMemo<ChartReference[]>(
    () => [
      { name: `threshold ${file.threshold}`, color: '#a12a2a', y: file.threshold },
      ...(file.reference ? [{ name: 'reference policy (eval)', color: '#b8860b', y: file.reference.return }] : []),
    ],
    [file],
  );
  return (
    <div data-testid="bench-view">
      <p className="chart-note">
        {source}: {file.seeds} seed(s) per algorithm on Twenty Questions ({file.subset}), {file.budget} trajectories each;
        return = the training rollouts’ mean over the last {file.window} trajectories. Written {file.date.slice(0, 10)} by{' '}
        <code>{file.command}</code>.
        {!comparable && ' Your current run is on another game, so it is not drawn.'}
      </p>
      <fieldset className="row" data-testid="bench-axis">
        <legend>x axis</legend>
        <label>
          <input type="radio" name="bench-axis" checked={axis === 'trajectories'} onChange={() => setAxis('trajectories')} /> trajectories
        </label>
        <label title={timed ? undefined : 'this file was written before the bench kept training seconds'}>
          <input type="radio" name="bench-axis" checked={axis === 'seconds'} disabled={!timed} onChange={() => setAxis('seconds')} data-testid="bench-axis-seconds" /> training seconds
        </label>
      </fieldset>
      <div className="chart" data-testid="bench-chart" data-series={series.length} data-axis={axis}>
        <LineChartSvg
          label={`Smoothed training return against ${axis === 'seconds' ? 'training seconds' : 'trajectories'}, one line per algorithm (mean over seeds, band: min to max)`}
          series={series}
          references={references}
          xLabel={axis === 'seconds' ? 'training seconds (the runs shared 2 cores)' : 'trajectories'}
          width={720}
          height={300}
        />
      </div>
      {file.headline && (
        <p data-testid="bench-headline">
          <strong>ArCHer / PPO</strong>, trajectories to reach {file.threshold}: {file.headline.text}
          {file.headline.secondsText ? `; training seconds to reach it: ${file.headline.secondsText}` : ''}.
        </p>
      )}
      <div className="runs-table-wrap">
        <table className="runs-table" data-testid="bench-table">
          <caption>Trajectories until the smoothed return reached {file.threshold}, and the return at fixed budgets</caption>
          <thead>
            <tr>
              <th scope="col">algorithm</th>
              <th scope="col">reached</th>
              <th scope="col">median trajectories</th>
              {timed && <th scope="col">median seconds</th>}
              {timed && <th scope="col">seconds a run</th>}
              {file.budgets.map((b) => (
                <th scope="col" key={b}>return @{b}</th>
              ))}
              <th scope="col">final eval</th>
            </tr>
          </thead>
          <tbody>
            {file.summaries.map((s) => (
              <tr key={s.algorithm}>
                <th scope="row">{s.label}</th>
                <td>{s.reached}/{s.seeds}</td>
                <td>{s.medianToThreshold ?? `> ${file.budget}`}</td>
                {timed && <td>{s.medianSecondsToThreshold === null || s.medianSecondsToThreshold === undefined ? 'not reached' : s.medianSecondsToThreshold.toFixed(0)}</td>}
                {timed && <td>{s.meanSeconds === undefined ? '—' : s.meanSeconds.toFixed(0)}</td>}
                {file.budgets.map((b) => (
                  <td key={b}>{fmt(s.atBudget[String(b)])}</td>
                ))}
                <td>{fmt(s.finalEval)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <BenchSettings file={file} />
    </div>
  );
}

/** The settings each algorithm trained with; for a tuned bench, every setting tried and its tuning result. */
function BenchSettings({ file }: { file: SampleEfficiencyFile }) {
  if (!file.variants) return null;
  const tuning = file.tuning ?? null;
  return (
    <div className="runs-table-wrap">
      <table className="runs-table" data-testid="bench-settings">
        <caption>
          {tuning
            ? `The settings each algorithm got: the same tuning budget for every one (each setting trained on tuning seeds ${Object.values(tuning)[0]?.seeds.join(', ') ?? ''}, not reported), the best mean final evaluation chosen (bold)`
            : 'The settings each algorithm trained with (untuned)'}
        </caption>
        <thead>
          <tr>
            <th scope="col">algorithm</th>
            <th scope="col">{tuning ? 'settings tried: final eval (mean over tuning seeds)' : 'settings'}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(file.variants).map(([v, info]) => (
            <tr key={v}>
              <th scope="row">{info.label}</th>
              <td>
                {tuning?.[v] ? (
                  <ul className="plain-list">
                    {tuning[v]!.grid.map((g, i) => {
                      const chosen = g.settings.join(' ') === tuning[v]!.chosen.join(' ');
                      const text = `${g.settings.map((x) => x.replace(/^algorithm\./, '')).join(', ')}: ${fmt(g.mean)}`;
                      return <li key={i}>{chosen ? <strong data-testid={`bench-chosen-${v}`}>{text} (chosen)</strong> : text}</li>;
                    })}
                  </ul>
                ) : (
                  <code>{info.settings.join(' ')}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
