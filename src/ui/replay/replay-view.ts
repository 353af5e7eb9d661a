/**
 * Pure logic of the replay view: labels, number formatting, which episode is shown, and the
 * step-through scrubber as a reducer. ReplayPanel.tsx only draws this state and dispatches actions.
 *
 * The view works on a snapshot of the replay store that it holds itself: an iteration that arrives
 * while an episode is open does not replace it; the panel offers "show latest" instead (or follows
 * new iterations when the user asks it to).
 */
import type { ReplayEpisode } from '../../core/rollout/replay-episodes';

/** What the view copies from the replay store. */
export interface ReplaySnapshot {
  iteration: number;
  latest: readonly ReplayEpisode[];
  best?: ReplayEpisode;
  worst?: ReplayEpisode;
}

export type ReplaySource = 'latest' | 'best' | 'worst';

export interface ReplayViewState {
  /** The store contents the view shows; null before the view has seen any. */
  snapshot: ReplaySnapshot | null;
  source: ReplaySource;
  /** Position in `snapshot.latest` of the episode chosen there. */
  pick: number;
  /** How many turns are shown, 0..turns.length. */
  position: number;
  playing: boolean;
  /** Adopt every new iteration automatically instead of offering it. */
  follow: boolean;
}

export type ReplayViewAction =
  /** The replay store changed. */
  | { type: 'store'; store: ReplaySnapshot }
  /** The user asked for the newest store contents. */
  | { type: 'refresh'; store: ReplaySnapshot }
  | { type: 'source'; source: ReplaySource }
  | { type: 'pick'; pick: number }
  | { type: 'seek'; position: number }
  | { type: 'step'; delta: number }
  | { type: 'play' }
  | { type: 'pause' }
  /** One autoplay step. */
  | { type: 'tick' }
  | { type: 'follow'; follow: boolean; store: ReplaySnapshot };

// ---------------------------------------------------------------------------------------------
// Formatting

/** A critic value with 2 decimals; "-0.00" is written "0.00"; not-a-number as "n/a". */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'n/a' : x > 0 ? '∞' : '-∞';
  const s = x.toFixed(2);
  return Number(s) === 0 ? '0.00' : s;
}

/** An advantage with 2 decimals and an explicit sign: "+0.35", "-1.20", "0.00". */
export function formatSigned(x: number): string {
  const s = formatValue(x);
  return Number(s) > 0 || s === '∞' ? `+${s}` : s;
}

/** An episode return: integers as they are ("-7"), anything else with 2 decimals. */
export function formatReturn(r: number): string {
  if (Number.isInteger(r)) return String(r === 0 ? 0 : r);
  return formatValue(r);
}

/** The sign of an advantage as displayed (rounded to 2 decimals), for colouring. */
export function advantageTone(a: number): 'pos' | 'neg' | 'zero' {
  const rounded = Number(a.toFixed(2));
  if (Number.isNaN(rounded) || rounded === 0) return 'zero';
  return rounded > 0 ? 'pos' : 'neg';
}

/** The largest |advantage| of an episode: the scale of its advantage bars (0 when it has none). */
export function advantageScale(turns: readonly { advantage: number }[]): number {
  let m = 0;
  for (const t of turns) if (Number.isFinite(t.advantage)) m = Math.max(m, Math.abs(t.advantage));
  return m;
}

/** Length of an advantage bar as a fraction 0..1 of its half-track. */
export function advantageBarFraction(a: number, scale: number): number {
  if (!(scale > 0) || !Number.isFinite(a)) return 0;
  return Math.min(1, Math.abs(a) / scale);
}

/** The CSS class of an answer, as `.conversation` styles it: "a-yes", "a-no", "a-invalidquestion". */
export function answerClass(answer: string): string {
  return `a-${answer.replace(/\W/g, '').toLowerCase()}`;
}

/** "solved", "out of turns" (cut by the turn limit) or "not solved". */
export function episodeOutcome(e: Pick<ReplayEpisode, 'success' | 'truncated'>): string {
  if (e.success) return 'solved';
  return e.truncated ? 'out of turns' : 'not solved';
}

/** The label of an episode in the chooser: "#3 · cat · -7 · solved" (episode numbers count from 1). */
export function episodeLabel(e: ReplayEpisode): string {
  return `#${e.index + 1} · ${e.target || '?'} · ${formatReturn(e.return)} · ${episodeOutcome(e)}`;
}

/** The tooltip / detail text of a turn's four critic heads. */
export function headsText(t: { q1: number; q2: number; v1: number; v2: number; reward: number }): string {
  return `Q1 ${formatValue(t.q1)} · Q2 ${formatValue(t.q2)} · V1 ${formatValue(t.v1)} · V2 ${formatValue(t.v2)} · reward ${formatReturn(t.reward)}`;
}

// ---------------------------------------------------------------------------------------------
// Choosing the episode and the position

export function hasEpisodes(s: ReplaySnapshot | null): boolean {
  return s !== null && (s.latest.length > 0 || s.best !== undefined || s.worst !== undefined);
}

/** Whether a source can be shown from a snapshot. */
export function sourceAvailable(s: ReplaySnapshot | null, source: ReplaySource): boolean {
  if (s === null) return false;
  if (source === 'latest') return s.latest.length > 0;
  return s[source] !== undefined;
}

export function clampPick(pick: number, count: number): number {
  if (count <= 0 || !Number.isFinite(pick)) return 0;
  return Math.min(count - 1, Math.max(0, Math.trunc(pick)));
}

/** The episode a snapshot and a selection point at, if any. */
export function chooseEpisode(s: ReplaySnapshot | null, source: ReplaySource, pick: number): ReplayEpisode | undefined {
  if (s === null) return undefined;
  if (source === 'latest') return s.latest[clampPick(pick, s.latest.length)];
  return s[source];
}

/** The shown episode of a view state. */
export function shownEpisode(state: ReplayViewState): ReplayEpisode | undefined {
  return chooseEpisode(state.snapshot, state.source, state.pick);
}

/** A position clamped to 0..turns (whole numbers). */
export function clampPosition(position: number, turns: number): number {
  if (!Number.isFinite(position)) return position > 0 ? turns : 0;
  return Math.min(turns, Math.max(0, Math.round(position)));
}

/**
 * The position after the shown episode changes: a view that showed a whole conversation shows the
 * whole new one; otherwise the position is kept, clamped to the new length.
 */
export function positionForNewEpisode(position: number, prevTurns: number | undefined, nextTurns: number): number {
  if (prevTurns === undefined || position >= prevTurns) return nextTurns;
  return clampPosition(position, nextTurns);
}

/** One autoplay step: the next position, and whether the replay has reached the end. */
export function nextAutoplayPosition(position: number, turns: number): { position: number; done: boolean } {
  const next = clampPosition(position + 1, turns);
  return { position: next, done: next >= turns };
}

/** The iteration the store has moved on to while the view shows an older snapshot, else null. */
export function newIterationAvailable(state: ReplayViewState, store: ReplaySnapshot): number | null {
  if (state.snapshot === null || !hasEpisodes(store)) return null;
  if (store.latest === state.snapshot.latest && store.iteration === state.snapshot.iteration) return null;
  return store.iteration;
}

export function initialViewState(store: ReplaySnapshot | null): ReplayViewState {
  const base: ReplayViewState = { snapshot: null, source: 'latest', pick: 0, position: 0, playing: false, follow: false };
  return store && hasEpisodes(store) ? adopt(base, store) : { ...base, snapshot: store };
}

function sameSnapshot(a: ReplaySnapshot, b: ReplaySnapshot): boolean {
  return a.iteration === b.iteration && a.latest === b.latest && a.best === b.best && a.worst === b.worst;
}

/** Moves the view to another snapshot and/or selection, repositioning when the shown episode changes. */
function select(state: ReplayViewState, snapshot: ReplaySnapshot | null, source: ReplaySource, pick: number): ReplayViewState {
  let src = source;
  if (!sourceAvailable(snapshot, src)) {
    src = (['latest', 'best', 'worst'] as const).find((s) => sourceAvailable(snapshot, s)) ?? 'latest';
  }
  const p = clampPick(pick, snapshot?.latest.length ?? 0);
  const prev = shownEpisode(state);
  const next = chooseEpisode(snapshot, src, p);
  if (next === prev) {
    return { ...state, snapshot, source: src, pick: p };
  }
  const position = next === undefined ? 0 : positionForNewEpisode(state.position, prev?.turns.length, next.turns.length);
  return { ...state, snapshot, source: src, pick: p, position, playing: false };
}

function adopt(state: ReplayViewState, store: ReplaySnapshot): ReplayViewState {
  if (state.snapshot !== null && sameSnapshot(state.snapshot, store)) return state;
  return select(state, { iteration: store.iteration, latest: store.latest, best: store.best, worst: store.worst }, state.source, state.pick);
}

export function replayViewReducer(state: ReplayViewState, action: ReplayViewAction): ReplayViewState {
  const episode = shownEpisode(state);
  const turns = episode?.turns.length ?? 0;
  switch (action.type) {
    case 'store':
      // Take the store's contents while nothing is shown yet, or when following; otherwise keep the open episode.
      if (state.follow || !hasEpisodes(state.snapshot)) return adopt(state, action.store);
      return state;
    case 'refresh':
      return adopt(state, action.store);
    case 'follow': {
      const next = { ...state, follow: action.follow };
      return action.follow ? adopt(next, action.store) : next;
    }
    case 'source':
      if (!sourceAvailable(state.snapshot, action.source) || action.source === state.source) return state;
      return select(state, state.snapshot, action.source, state.pick);
    case 'pick':
      return select(state, state.snapshot, 'latest', action.pick);
    case 'seek': {
      const position = clampPosition(action.position, turns);
      return { ...state, position, playing: state.playing && position < turns };
    }
    case 'step': {
      const position = clampPosition(state.position + action.delta, turns);
      return { ...state, position, playing: false };
    }
    case 'play':
      if (episode === undefined || turns === 0) return state;
      return { ...state, playing: true, position: state.position >= turns ? 0 : state.position };
    case 'pause':
      return state.playing ? { ...state, playing: false } : state;
    case 'tick': {
      if (!state.playing) return state;
      const { position, done } = nextAutoplayPosition(state.position, turns);
      return { ...state, position, playing: !done };
    }
  }
}
