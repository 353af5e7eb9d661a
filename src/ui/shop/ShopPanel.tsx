/**
 * WebShop in the lab: the failure analysis of the latest iteration's episodes, and a visual replay
 * that draws each page as a small web shop and animates the agent's search, clicks and purchase,
 * ending with the reward's breakdown. Reads the replay store; the logic is in shop-view.ts.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { ReplayEpisode } from '../../core/rollout/replay-episodes';
import { causeCounts, type ShopEpisode, type ShopFrame } from '../../core/envs/webshop/replay';
import { SHOWN } from '../../core/envs/webshop/agent-env';
import { useReplayStore } from '../replay/replay-store';
import { actionTarget, formatDollars, rewardArithmetic, shopEpisodeLabel, typeExplanation, stepCaption, type ActionTarget } from './shop-view';

type Source = 'latest' | 'best' | 'worst';

export function ShopPanel() {
  const ids = useId();
  const iteration = useReplayStore((s) => s.iteration);
  const latest = useReplayStore((s) => s.latest);
  const best = useReplayStore((s) => s.best);
  const worst = useReplayStore((s) => s.worst);
  const [source, setSource] = useState<Source>('latest');
  const [pick, setPick] = useState(0);
  // The episode being read is kept until the reader picks another (a new iteration never replaces it).
  const [shown, setShown] = useState<ReplayEpisode | undefined>(undefined);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);

  const candidate = source === 'best' ? best : source === 'worst' ? worst : latest[Math.min(pick, Math.max(0, latest.length - 1))];
  useEffect(() => {
    if (shown === undefined && candidate?.shop) setShown(candidate);
  }, [shown, candidate]);

  const choose = (e: ReplayEpisode | undefined) => {
    setShown(e?.shop ? e : undefined);
    setFrame(0);
    setPlaying(false);
  };

  const shop = shown?.shop;
  const last = shop ? shop.frames.length - 1 : 0;
  useEffect(() => {
    if (!playing) return undefined;
    if (frame >= last) {
      setPlaying(false);
      return undefined;
    }
    const id = setTimeout(() => setFrame((f) => Math.min(f + 1, last)), 900);
    return () => clearTimeout(id);
  }, [playing, frame, last]);

  const failures = useMemo(() => causeCounts(latest.map((e) => e.shop ?? {})), [latest]);
  const batch = useMemo(() => {
    const n = latest.length;
    if (n === 0) return undefined;
    return { n, score: (100 * latest.reduce((a, e) => a + e.return, 0)) / n, success: latest.filter((e) => e.success).length / n };
  }, [latest]);

  return (
    <section className="panel shop-panel" aria-labelledby={`${ids}-title`} data-testid="shop-panel">
      <h2 id={`${ids}-title`}>WebShop</h2>
      {latest.length === 0 ? (
        <p className="note">Shopping episodes appear here after the first training iteration.</p>
      ) : (
        <>
          <div className="shop-failures" data-testid="shop-failures">
            <h3>Iteration {iteration}: {batch ? `score ${batch.score.toFixed(1)}, success ${(100 * batch.success).toFixed(0)}% of ${batch.n} episodes` : ''}</h3>
            {failures.length === 0 ? (
              <p className="note">No failed episode in this iteration.</p>
            ) : (
              <table className="shop-failure-table">
                <caption>Failed episodes by cause</caption>
                <thead>
                  <tr>
                    <th scope="col">Cause</th>
                    <th scope="col">Episodes</th>
                    <th scope="col">Share of failures</th>
                  </tr>
                </thead>
                <tbody>
                  {failures.map((f) => (
                    <tr key={f.cause}>
                      <td>{f.cause}</td>
                      <td>{f.count}</td>
                      <td>
                        <span className="shop-share-bar" style={{ width: `${Math.round(60 * f.share)}px` }} aria-hidden="true" />{' '}
                        {(100 * f.share).toFixed(0)}%
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="replay-chooser-row">
            <label className="shop-episode-label">
              Episode{' '}
              <select
                value={source === 'latest' ? `latest:${pick}` : source}
                data-testid="shop-episode-select"
                onChange={(ev) => {
                  const v = ev.target.value;
                  if (v === 'best' || v === 'worst') {
                    setSource(v);
                    choose(v === 'best' ? best : worst);
                  } else {
                    const i = Number(v.split(':')[1]);
                    setSource('latest');
                    setPick(i);
                    choose(latest[i]);
                  }
                }}
              >
                {latest.map((e, i) => (
                  <option key={`${e.iteration}-${e.index}`} value={`latest:${i}`}>
                    Iteration {e.iteration} {shopEpisodeLabel(e)}
                  </option>
                ))}
                {best && <option value="best">Best so far: {shopEpisodeLabel(best)}</option>}
                {worst && <option value="worst">Worst so far: {shopEpisodeLabel(worst)}</option>}
              </select>
            </label>
            {shown && shown !== candidate && candidate?.shop && (
              <button type="button" onClick={() => choose(candidate)} data-testid="shop-show-latest">
                Show the newest episode
              </button>
            )}
          </div>
          {shop && (
            <ShopReplay
              shop={shop}
              frame={Math.min(frame, last)}
              playing={playing}
              onFrame={(f) => {
                setPlaying(false);
                setFrame(Math.max(0, Math.min(last, f)));
              }}
              onPlay={() => {
                if (frame >= last) setFrame(0);
                setPlaying((p) => !p);
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

function ShopReplay(props: { shop: ShopEpisode; frame: number; playing: boolean; onFrame: (f: number) => void; onPlay: () => void }) {
  const { shop, frame } = props;
  const last = shop.frames.length - 1;
  const current = shop.frames[frame]!;
  const next = shop.frames[frame + 1];
  const target = actionTarget(next?.action, current);
  return (
    <div className="shop-replay" data-testid="shop-replay">
      <p className="shop-instruction">
        <strong>Instruction:</strong> {shop.instruction}
      </p>
      <div className="replay-controls">
        <button type="button" onClick={() => props.onFrame(frame - 1)} disabled={frame === 0} data-testid="shop-prev">
          ◀ Previous
        </button>
        <button type="button" onClick={props.onPlay} data-testid="shop-play">
          {props.playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => props.onFrame(frame + 1)} disabled={frame === last} data-testid="shop-next">
          Next ▶
        </button>
        <label>
          <span className="sr-only">Step</span>
          <input type="range" min={0} max={last} value={frame} onChange={(e) => props.onFrame(Number(e.target.value))} data-testid="shop-scrubber" />
        </label>
        <span data-testid="shop-step">
          Page {frame + 1} of {last + 1}
        </span>
      </div>
      <p className="shop-caption" aria-live="polite" data-testid="shop-caption">
        {stepCaption(shop, frame)}
      </p>
      <ShopPage frame={current} target={target} query={shop.instruction} />
      {frame === last && <Receipt shop={shop} />}
    </div>
  );
}

const hit = (on: boolean) => (on ? ' shop-target' : '');

function ShopPage(props: { frame: ShopFrame; target: ActionTarget; query: string }) {
  const { view } = props.frame;
  const t = props.target;
  return (
    <div className="shop-window" data-testid="shop-page" data-page={view.page}>
      <div className="shop-bar">
        <span className="shop-logo">WebShop</span>
        {view.page === 'search' ? (
          <span className="shop-searchbox">
            <span className="shop-query">{t.kind === 'search' ? props.query : 'Search…'}</span>
            <span className={`shop-button${hit(t.kind === 'search')}`}>Search</span>
          </span>
        ) : (
          <span className={`shop-button${hit(t.kind === 'button' && t.name === 'back to search')}`}>Back to Search</span>
        )}
      </div>
      {!props.frame.valid && <p className="shop-invalid">Invalid action: the page did not change.</p>}
      {view.page === 'results' && (
        <div className="shop-results">
          <p className="note">
            “{view.query}”: page {view.resultsPage}, {view.totalResults} results (the agent sees the first {SHOWN})
          </p>
          <ol>
            {(view.results ?? []).map((r, i) => (
              <li key={r.id} className={`shop-result${i >= SHOWN ? ' shop-unseen' : ''}${hit(t.kind === 'result' && t.position === i + 1)}`} data-testid="shop-result">
                <span className="shop-id">{r.id}</span> <span className="shop-title">{r.title}</span> <span className="shop-price">{formatDollars(r.price)}</span>
              </li>
            ))}
          </ol>
          <span className={`shop-button${hit(t.kind === 'button' && t.name === 'next')}`}>Next &gt;</span>
        </div>
      )}
      {(view.page === 'item' || view.page === 'detail') && view.product && (
        <div className="shop-item">
          <span className={`shop-button${hit(t.kind === 'button' && t.name === 'prev')}`}>&lt; Prev</span>
          <h4 className="shop-title">{view.product.title}</h4>
          <p className="shop-price">Price: {formatDollars(view.product.price)}</p>
          {Object.entries(view.product.options).map(([group, values]) => (
            <div key={group} className="shop-options" role="group" aria-label={group}>
              <span className="shop-group">{group}:</span>
              {values.map((v) => (
                <span
                  key={v}
                  className={`shop-option${view.product!.selected[group] === v ? ' shop-selected' : ''}${hit(t.kind === 'option' && t.value === v)}`}
                  aria-pressed={view.product!.selected[group] === v}
                  data-testid="shop-option"
                >
                  {v}
                </span>
              ))}
            </div>
          ))}
          <span className={`shop-button shop-buy${hit(t.kind === 'buy')}`} data-testid="shop-buy">
            Buy Now
          </span>
        </div>
      )}
    </div>
  );
}

function Receipt(props: { shop: ShopEpisode }) {
  const { shop } = props;
  const p = shop.parts;
  if (!p) {
    return (
      <div className="shop-receipt" data-testid="shop-receipt">
        <h4>No purchase</h4>
        <p>The agent ran out of steps: reward 0 ({shop.cause}).</p>
      </div>
    );
  }
  return (
    <div className="shop-receipt" data-testid="shop-receipt">
      <h4>
        Reward {p.reward.toFixed(3)} {p.success ? '— success' : `— ${shop.cause}`}
      </h4>
      <dl className="shop-parts">
        <dt>Product type</dt>
        <dd data-testid="shop-type">{typeExplanation(p)}</dd>
        <dt>Attributes</dt>
        <dd>
          {p.attributes.matched.length} of {p.attributes.asked} {p.attributes.matched.length > 0 ? `(${p.attributes.matched.join(', ')})` : ''}
        </dd>
        <dt>Options</dt>
        <dd>
          {p.options.matched.length} of {p.options.asked} {p.options.matched.length > 0 ? `(${p.options.matched.join(', ')})` : ''}
          {shop.chosenOptions && Object.keys(shop.chosenOptions).length > 0 ? `; chosen: ${Object.entries(shop.chosenOptions).map(([g, v]) => `${g} ${v}`).join(', ')}` : '; none chosen'}
        </dd>
        <dt>Price</dt>
        <dd>{p.priceOk ? 'within the budget' : 'over the budget'}</dd>
      </dl>
      <p className="shop-formula" data-testid="shop-formula">
        r = type × (attributes + options + price) / (asked + 1) = {rewardArithmetic(p)}
      </p>
    </div>
  );
}
