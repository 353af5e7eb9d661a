/**
 * Replay of Twenty Questions episodes from training, turn by turn, with the critic's Q, V and
 * advantage beside every question. Reads the replay store; all logic lives in replay-view.ts.
 */
import { useEffect, useId, useReducer, useRef, useState, type CSSProperties } from 'react';
import type { ReplayEpisode, ReplayTurn } from '../../core/rollout/replay-episodes';
import { useReplayStore } from './replay-store';
import {
  advantageBarFraction,
  advantageScale,
  advantageTone,
  answerClass,
  episodeLabel,
  episodeOutcome,
  formatReturn,
  formatSigned,
  formatValue,
  headsText,
  initialViewState,
  newIterationAvailable,
  replayViewReducer,
  shownEpisode,
  sourceAvailable,
  type ReplaySnapshot,
  type ReplaySource,
} from './replay-view';

const SPEEDS = [
  { ms: 1400, label: '0.5×' },
  { ms: 700, label: '1×' },
  { ms: 350, label: '2×' },
] as const;

function storeSnapshot(): ReplaySnapshot {
  const { iteration, latest, best, worst } = useReplayStore.getState();
  return { iteration, latest, best, worst };
}

export function ReplayPanel() {
  const iteration = useReplayStore((s) => s.iteration);
  const latest = useReplayStore((s) => s.latest);
  const best = useReplayStore((s) => s.best);
  const worst = useReplayStore((s) => s.worst);
  const store: ReplaySnapshot = { iteration, latest, best, worst };

  const [state, dispatch] = useReducer(replayViewReducer, null, () => initialViewState(storeSnapshot()));
  const [speedMs, setSpeedMs] = useState<number>(700);
  const [showHeads, setShowHeads] = useState(false);
  const ids = useId();

  useEffect(() => {
    dispatch({ type: 'store', store: { iteration, latest, best, worst } });
  }, [iteration, latest, best, worst]);

  const episode = shownEpisode(state);

  // Autoplay: one turn per tick; the interval goes away on pause, at the end, on an episode change and on unmount.
  useEffect(() => {
    if (!state.playing) return undefined;
    const id = setInterval(() => dispatch({ type: 'tick' }), speedMs);
    return () => clearInterval(id);
  }, [state.playing, episode, speedMs]);

  const snapshot = state.snapshot;
  const newer = newIterationAvailable(state, store);

  return (
    <section className="panel replay-panel" aria-labelledby={`${ids}-title`} data-testid="replay-panel">
      <h2 id={`${ids}-title`}>Replay episodes</h2>
      {snapshot === null || episode === undefined ? (
        <p className="note">Episodes appear here after the first training iteration.</p>
      ) : (
        <>
          <div className="replay-chooser-row">
            <fieldset className="replay-chooser">
              <legend>Episode</legend>
              <SourceRadio
                name={`${ids}-source`}
                value="latest"
                label={`Latest iteration (${snapshot.iteration})`}
                state={state.source}
                disabled={!sourceAvailable(snapshot, 'latest')}
                onChoose={(source) => dispatch({ type: 'source', source })}
              />
              <label className="replay-episode-select">
                <span className="sr-only">Episode of iteration {snapshot.iteration}</span>
                <select
                  value={state.pick}
                  onChange={(e) => dispatch({ type: 'pick', pick: Number(e.target.value) })}
                  disabled={snapshot.latest.length === 0}
                  data-testid="replay-episode-select"
                >
                  {snapshot.latest.map((e, i) => (
                    <option key={`${e.iteration}-${e.index}-${i}`} value={i}>
                      {episodeLabel(e)}
                    </option>
                  ))}
                </select>
              </label>
              <SourceRadio
                name={`${ids}-source`}
                value="best"
                label="Best so far"
                state={state.source}
                disabled={!sourceAvailable(snapshot, 'best')}
                onChoose={(source) => dispatch({ type: 'source', source })}
              />
              <SourceRadio
                name={`${ids}-source`}
                value="worst"
                label="Worst so far"
                state={state.source}
                disabled={!sourceAvailable(snapshot, 'worst')}
                onChoose={(source) => dispatch({ type: 'source', source })}
              />
            </fieldset>
            <label className="replay-follow">
              <input
                type="checkbox"
                checked={state.follow}
                onChange={(e) => dispatch({ type: 'follow', follow: e.target.checked, store: storeSnapshot() })}
              />{' '}
              Follow new iterations
            </label>
          </div>
          <div aria-live="polite" className="replay-newer">
            {newer !== null && (
              <button
                type="button"
                className="replay-newer-button"
                onClick={() => dispatch({ type: 'refresh', store: storeSnapshot() })}
                data-testid="replay-show-latest"
              >
                New iteration {newer} available — show latest
              </button>
            )}
          </div>
          <EpisodeView
            episode={episode}
            position={state.position}
            playing={state.playing}
            speedMs={speedMs}
            showHeads={showHeads}
            onSeek={(position) => dispatch({ type: 'seek', position })}
            onStep={(delta) => dispatch({ type: 'step', delta })}
            onPlay={() => dispatch({ type: state.playing ? 'pause' : 'play' })}
            onSpeed={setSpeedMs}
            onShowHeads={setShowHeads}
          />
        </>
      )}
    </section>
  );
}

function SourceRadio(props: {
  name: string;
  value: ReplaySource;
  label: string;
  state: ReplaySource;
  disabled: boolean;
  onChoose: (s: ReplaySource) => void;
}) {
  return (
    <label className="replay-radio">
      <input
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.state === props.value}
        disabled={props.disabled}
        onChange={() => props.onChoose(props.value)}
      />{' '}
      {props.label}
    </label>
  );
}

function EpisodeView(props: {
  episode: ReplayEpisode;
  position: number;
  playing: boolean;
  speedMs: number;
  showHeads: boolean;
  onSeek: (position: number) => void;
  onStep: (delta: number) => void;
  onPlay: () => void;
  onSpeed: (ms: number) => void;
  onShowHeads: (on: boolean) => void;
}) {
  const { episode: e, position } = props;
  const n = e.turns.length;
  const scale = advantageScale(e.turns);
  const shown = e.turns.slice(0, position);
  const boxRef = useRef<HTMLDivElement>(null);

  // Keep the newest shown turn in view inside the scrolling conversation (autoplay, Next turn).
  useEffect(() => {
    const box = boxRef.current;
    const last = box?.querySelector('.replay-turns > li:last-child');
    if (!box || !last) return;
    const overflow = last.getBoundingClientRect().bottom - box.getBoundingClientRect().bottom;
    if (overflow > 0) box.scrollTop += overflow;
  }, [position, e]);

  return (
    <div className="replay-episode">
      <dl className="facts replay-facts" data-testid="replay-facts">
        <div><dt>hidden object</dt><dd data-testid="replay-target">{e.target || '?'}</dd></div>
        <div><dt>return</dt><dd data-testid="replay-return">{formatReturn(e.return)}</dd></div>
        <div><dt>outcome</dt><dd data-testid="replay-outcome" className={e.success ? 'replay-solved' : 'replay-unsolved'}>{episodeOutcome(e)}</dd></div>
        <div><dt>turns</dt><dd>{n}</dd></div>
        <div><dt>from</dt><dd>iteration {e.iteration}, episode #{e.index + 1}</dd></div>
        <div><dt>seed</dt><dd>{e.seed}</dd></div>
      </dl>

      <div className="replay-controls">
        <button type="button" onClick={() => props.onStep(-1)} disabled={position <= 0}>
          <span aria-hidden="true">‹ </span>Previous turn
        </button>
        <input
          type="range"
          min={0}
          max={n}
          step={1}
          value={position}
          onChange={(ev) => props.onSeek(Number(ev.target.value))}
          aria-label="Replay position"
          aria-valuetext={`${position} of ${n} turns shown`}
        />
        <button type="button" onClick={() => props.onStep(1)} disabled={position >= n}>
          Next turn<span aria-hidden="true"> ›</span>
        </button>
        <span className="replay-position" data-testid="replay-position">
          {position} / {n}
        </span>
        <button type="button" onClick={props.onPlay} disabled={n === 0} className="replay-play">
          {props.playing ? 'Pause' : 'Play'}
        </button>
        <label className="replay-speed">
          Speed{' '}
          <select value={props.speedMs} onChange={(ev) => props.onSpeed(Number(ev.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s.ms} value={s.ms}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <p className="note replay-legend">
        Q = min(Q1, Q2)(s, a), the value of asking the question; V = min(V1, V2)(s), the value of the state before it;
        A = Q − V, the advantage. Values computed after iteration {e.iteration}&apos;s critic updates.{' '}
        <label className="replay-heads-toggle">
          <input type="checkbox" checked={props.showHeads} onChange={(ev) => props.onShowHeads(ev.target.checked)} /> Show
          Q1, Q2, V1, V2
        </label>
      </p>

      <div className="conversation replay-conversation" ref={boxRef}>
        <div className="replay-row replay-header" aria-hidden="true">
          <span className="replay-qa">Question → answer</span>
          <span className="replay-cell" title="min(Q1, Q2)(s, a)">
            Q <small>min(Q1,Q2)(s,a)</small>
          </span>
          <span className="replay-cell" title="min(V1, V2)(s)">
            V <small>min(V1,V2)(s)</small>
          </span>
          <span className="replay-cell replay-adv-cell" title="Q − V">
            A <small>Q − V</small>
          </span>
        </div>
        <ol className="replay-turns" data-testid="replay-turns" aria-label="Questions, answers and critic values">
          {shown.map((t, i) => (
            <TurnRow key={i} turn={t} scale={scale} showHeads={props.showHeads} />
          ))}
        </ol>
        {position === 0 && n > 0 && <p className="note replay-empty">Press Next turn or Play to step through the conversation.</p>}
      </div>
      {position >= n && (
        <p className="replay-end" data-testid="replay-end">
          {e.success
            ? `Solved: it was ${e.target}. Return ${formatReturn(e.return)}.`
            : `${e.truncated ? 'Out of turns' : 'Not solved'}: it was ${e.target}. Return ${formatReturn(e.return)}.`}
        </p>
      )}
    </div>
  );
}

function TurnRow({ turn: t, scale, showHeads }: { turn: ReplayTurn; scale: number; showHeads: boolean }) {
  const tone = advantageTone(t.advantage);
  const fraction = advantageBarFraction(t.advantage, scale);
  const fill: CSSProperties = { width: `${(fraction * 50).toFixed(1)}%` };
  const heads = headsText(t);
  return (
    <li data-testid="replay-turn" className="replay-turn">
      <div className="replay-row" title={heads}>
        <span className="replay-qa">
          <span className="q">{t.question}</span>{' '}
          <span className={`a ${answerClass(t.answer)}`}>{t.answer}</span>
        </span>
        <span className="replay-cell" title={`Q = min(Q1 ${formatValue(t.q1)}, Q2 ${formatValue(t.q2)})`}>
          <span className="replay-k">Q </span>
          <span data-testid="turn-q">{formatValue(t.q)}</span>
        </span>
        <span className="replay-cell" title={`V = min(V1 ${formatValue(t.v1)}, V2 ${formatValue(t.v2)})`}>
          <span className="replay-k">V </span>
          <span data-testid="turn-v">{formatValue(t.v)}</span>
        </span>
        <span className={`replay-cell replay-adv-cell adv-${tone}`} title="A = Q − V">
          <span className="replay-k">A </span>
          <span data-testid="turn-advantage">{formatSigned(t.advantage)}</span>
          <span className="adv-bar" aria-hidden="true">
            <span className={`adv-fill adv-fill-${tone}`} style={fill} />
          </span>
        </span>
      </div>
      {showHeads && (
        <div className="replay-heads" data-testid="turn-heads">
          {heads}
        </div>
      )}
    </li>
  );
}
