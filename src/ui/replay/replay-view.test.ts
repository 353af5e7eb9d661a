import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReplayEpisode, ReplayTurn } from '../../core/rollout/replay-episodes';
import { useReplayStore } from './replay-store';
import { ReplayPanel } from './ReplayPanel';
import {
  advantageBarFraction,
  advantageScale,
  advantageTone,
  answerClass,
  chooseEpisode,
  clampPick,
  clampPosition,
  episodeLabel,
  episodeOutcome,
  formatReturn,
  formatSigned,
  formatValue,
  headsText,
  initialViewState,
  newIterationAvailable,
  nextAutoplayPosition,
  positionForNewEpisode,
  replayViewReducer,
  shownEpisode,
  sourceAvailable,
  type ReplaySnapshot,
  type ReplayViewAction,
  type ReplayViewState,
} from './replay-view';

function turn(question: string, answer: string, q1: number, q2: number, v1: number, v2: number, reward = -1): ReplayTurn {
  const q = Math.min(q1, q2);
  const v = Math.min(v1, v2);
  return { question, answer, reward, q1, q2, v1, v2, q, v, advantage: q - v };
}

function episode(iteration: number, index: number, nTurns: number, opts: Partial<ReplayEpisode> = {}): ReplayEpisode {
  const turns = Array.from({ length: nTurns }, (_, t) =>
    turn(`Question ${t + 1}?`, t % 3 === 0 ? 'Yes.' : t % 3 === 1 ? 'No.' : 'Invalid Question.', -t, -t - 0.5, -t - 0.25, -t + 1),
  );
  return {
    iteration,
    index,
    seed: 1000 + index,
    target: 'cat',
    return: 1 - nTurns,
    success: true,
    truncated: false,
    turns,
    valuesFrom: 'after-iteration',
    ...opts,
  };
}

function snap(iteration: number, latest: ReplayEpisode[], best?: ReplayEpisode, worst?: ReplayEpisode): ReplaySnapshot {
  return { iteration, latest, best, worst };
}

function run(state: ReplayViewState, ...actions: ReplayViewAction[]): ReplayViewState {
  return actions.reduce(replayViewReducer, state);
}

describe('formatting', () => {
  it('writes critic values with two decimals and no negative zero', () => {
    expect(formatValue(1.234)).toBe('1.23');
    expect(formatValue(-7)).toBe('-7.00');
    expect(formatValue(-0.004)).toBe('0.00');
    expect(formatValue(-0)).toBe('0.00');
    expect(formatValue(Number.NaN)).toBe('n/a');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('signs advantages', () => {
    expect(formatSigned(0.345)).toMatch(/^\+0\.3[45]$/);
    expect(formatSigned(0.5)).toBe('+0.50');
    expect(formatSigned(-1.2)).toBe('-1.20');
    expect(formatSigned(0.001)).toBe('0.00');
    expect(formatSigned(-0.001)).toBe('0.00');
  });

  it('writes integer returns as integers', () => {
    expect(formatReturn(-7)).toBe('-7');
    expect(formatReturn(0)).toBe('0');
    expect(formatReturn(-0)).toBe('0');
    expect(formatReturn(-6.5)).toBe('-6.50');
  });

  it('colours advantages by their displayed sign', () => {
    expect(advantageTone(0.3)).toBe('pos');
    expect(advantageTone(-0.3)).toBe('neg');
    expect(advantageTone(0)).toBe('zero');
    expect(advantageTone(0.001)).toBe('zero'); // shown as 0.00, so not coloured
    expect(advantageTone(-0.006)).toBe('neg');
    expect(advantageTone(Number.NaN)).toBe('zero');
  });

  it('scales advantage bars to the largest |A| of the episode', () => {
    const turns = [{ advantage: 0.5 }, { advantage: -2 }, { advantage: Number.NaN }];
    expect(advantageScale(turns)).toBe(2);
    expect(advantageScale([])).toBe(0);
    expect(advantageBarFraction(0.5, 2)).toBe(0.25);
    expect(advantageBarFraction(-2, 2)).toBe(1);
    expect(advantageBarFraction(5, 2)).toBe(1);
    expect(advantageBarFraction(0.5, 0)).toBe(0);
    expect(advantageBarFraction(Number.NaN, 2)).toBe(0);
  });

  it('maps answers to the conversation CSS classes', () => {
    expect(answerClass('Yes.')).toBe('a-yes');
    expect(answerClass('No.')).toBe('a-no');
    expect(answerClass('Invalid Question.')).toBe('a-invalidquestion');
  });

  it('labels episodes with number (from 1), object, return and outcome', () => {
    expect(episodeLabel(episode(4, 2, 8))).toBe('#3 · cat · -7 · solved');
    expect(episodeLabel(episode(4, 0, 20, { target: 'car', return: -20, success: false, truncated: true }))).toBe(
      '#1 · car · -20 · out of turns',
    );
    expect(episodeOutcome({ success: false, truncated: false })).toBe('not solved');
    expect(episodeLabel(episode(1, 0, 1, { target: '' }))).toBe('#1 · ? · 0 · solved');
  });

  it('spells out the four heads and the reward', () => {
    expect(headsText(turn('q', 'Yes.', 1, 2, 3.456, -4, -1))).toBe('Q1 1.00 · Q2 2.00 · V1 3.46 · V2 -4.00 · reward -1');
  });
});

describe('choosing the episode', () => {
  const a = episode(3, 0, 4);
  const b = episode(3, 1, 6);
  const best = episode(2, 5, 2);
  const worst = episode(1, 1, 20);
  const s = snap(3, [a, b], best, worst);

  it('clamps picks into the list', () => {
    expect(clampPick(-1, 2)).toBe(0);
    expect(clampPick(5, 2)).toBe(1);
    expect(clampPick(1.7, 3)).toBe(1);
    expect(clampPick(3, 0)).toBe(0);
    expect(clampPick(Number.NaN, 3)).toBe(0);
  });

  it('points at the picked latest episode, or the best or worst so far', () => {
    expect(chooseEpisode(s, 'latest', 1)).toBe(b);
    expect(chooseEpisode(s, 'latest', 9)).toBe(b);
    expect(chooseEpisode(s, 'best', 0)).toBe(best);
    expect(chooseEpisode(s, 'worst', 0)).toBe(worst);
    expect(chooseEpisode(null, 'latest', 0)).toBeUndefined();
    expect(chooseEpisode(snap(0, []), 'latest', 0)).toBeUndefined();
  });

  it('knows which sources exist', () => {
    expect(sourceAvailable(s, 'best')).toBe(true);
    expect(sourceAvailable(snap(1, [a]), 'best')).toBe(false);
    expect(sourceAvailable(snap(1, []), 'latest')).toBe(false);
    expect(sourceAvailable(null, 'latest')).toBe(false);
  });
});

describe('positions', () => {
  it('clamps positions to 0..turns', () => {
    expect(clampPosition(-3, 5)).toBe(0);
    expect(clampPosition(9, 5)).toBe(5);
    expect(clampPosition(2.6, 5)).toBe(3);
    expect(clampPosition(Number.NaN, 5)).toBe(0);
    expect(clampPosition(Number.POSITIVE_INFINITY, 5)).toBe(5);
  });

  it('shows a whole new episode after a whole one, and otherwise keeps the position within the new length', () => {
    expect(positionForNewEpisode(0, undefined, 7)).toBe(7);
    expect(positionForNewEpisode(4, 4, 9)).toBe(9);
    expect(positionForNewEpisode(3, 8, 9)).toBe(3);
    expect(positionForNewEpisode(6, 8, 2)).toBe(2);
    expect(positionForNewEpisode(0, 8, 2)).toBe(0);
  });

  it('advances autoplay one turn at a time and stops at the end', () => {
    expect(nextAutoplayPosition(0, 3)).toEqual({ position: 1, done: false });
    expect(nextAutoplayPosition(2, 3)).toEqual({ position: 3, done: true });
    expect(nextAutoplayPosition(3, 3)).toEqual({ position: 3, done: true });
    expect(nextAutoplayPosition(0, 0)).toEqual({ position: 0, done: true });
  });
});

describe('replayViewReducer', () => {
  const it1 = [episode(1, 0, 5), episode(1, 1, 3)];
  const it2 = [episode(2, 0, 7), episode(2, 1, 2)];
  const s1 = snap(1, it1, it1[1], it1[0]);
  const s2 = snap(2, it2, it2[1], it1[0]);

  it('starts empty and opens the first latest episode, whole, when episodes arrive', () => {
    const empty = initialViewState(snap(0, []));
    expect(shownEpisode(empty)).toBeUndefined();
    const s = replayViewReducer(empty, { type: 'store', store: s1 });
    expect(shownEpisode(s)).toBe(it1[0]);
    expect(s.position).toBe(5);
    expect(initialViewState(s1)).toEqual(s);
    expect(initialViewState(null).snapshot).toBeNull();
  });

  it('keeps the open episode when a new iteration arrives, and offers it', () => {
    let s = run(initialViewState(s1), { type: 'pick', pick: 1 }, { type: 'seek', position: 2 });
    expect(newIterationAvailable(s, s1)).toBeNull();
    const before = s;
    s = replayViewReducer(s, { type: 'store', store: s2 });
    expect(s).toBe(before);
    expect(shownEpisode(s)).toBe(it1[1]);
    expect(newIterationAvailable(s, s2)).toBe(2);
    // "show latest": the same pick in the new iteration, position kept within its length.
    s = replayViewReducer(s, { type: 'refresh', store: s2 });
    expect(shownEpisode(s)).toBe(it2[1]);
    expect(s.position).toBe(2);
    expect(newIterationAvailable(s, s2)).toBeNull();
    // A reset store (no episodes) is not offered.
    expect(newIterationAvailable(s, snap(0, []))).toBeNull();
  });

  it('follows new iterations when asked to', () => {
    let s = run(initialViewState(s1), { type: 'follow', follow: true, store: s1 });
    expect(s.follow).toBe(true);
    s = replayViewReducer(s, { type: 'store', store: s2 });
    expect(shownEpisode(s)).toBe(it2[0]);
    expect(s.position).toBe(7); // was showing all of the old one
    // Turning follow on adopts what the store has now.
    s = run(initialViewState(s1), { type: 'follow', follow: true, store: s2 });
    expect(shownEpisode(s)).toBe(it2[0]);
    s = replayViewReducer(s, { type: 'follow', follow: false, store: s2 });
    expect(s.follow).toBe(false);
  });

  it('switches between latest, best and worst, and refuses missing ones', () => {
    let s = initialViewState(s1);
    s = replayViewReducer(s, { type: 'source', source: 'worst' });
    expect(shownEpisode(s)).toBe(it1[0]);
    s = replayViewReducer(s, { type: 'source', source: 'best' });
    expect(shownEpisode(s)).toBe(it1[1]);
    expect(s.position).toBe(3);
    // Picking from the list goes back to the latest iteration.
    s = replayViewReducer(s, { type: 'pick', pick: 0 });
    expect(s.source).toBe('latest');
    expect(shownEpisode(s)).toBe(it1[0]);
    const noBest = initialViewState(snap(1, it1));
    expect(replayViewReducer(noBest, { type: 'source', source: 'best' })).toBe(noBest);
  });

  it('clamps the position when the episode changes mid-replay', () => {
    let s = run(initialViewState(s1), { type: 'seek', position: 4 }); // 4 of 5
    s = replayViewReducer(s, { type: 'pick', pick: 1 }); // 3 turns
    expect(s.position).toBe(3);
    s = run(s, { type: 'seek', position: 1 }, { type: 'pick', pick: 0 });
    expect(s.position).toBe(1);
  });

  it('steps, seeks and stays within the episode', () => {
    let s = initialViewState(s1); // 5 of 5
    s = replayViewReducer(s, { type: 'step', delta: 1 });
    expect(s.position).toBe(5);
    s = run(s, { type: 'seek', position: 0 }, { type: 'step', delta: -1 });
    expect(s.position).toBe(0);
    s = run(s, { type: 'step', delta: 1 }, { type: 'step', delta: 1 });
    expect(s.position).toBe(2);
    s = replayViewReducer(s, { type: 'seek', position: 99 });
    expect(s.position).toBe(5);
  });

  it('autoplays from the start when at the end, one turn per tick, stopping at the end', () => {
    let s = initialViewState(snap(1, [episode(1, 0, 3)]));
    expect(s.position).toBe(3);
    s = replayViewReducer(s, { type: 'play' });
    expect(s).toMatchObject({ playing: true, position: 0 });
    s = run(s, { type: 'tick' }, { type: 'tick' });
    expect(s).toMatchObject({ playing: true, position: 2 });
    s = replayViewReducer(s, { type: 'tick' });
    expect(s).toMatchObject({ playing: false, position: 3 });
    // A stray tick after the end changes nothing.
    expect(replayViewReducer(s, { type: 'tick' })).toBe(s);
  });

  it('pauses, and stops playing when the user steps or the episode changes', () => {
    let s = run(initialViewState(s1), { type: 'seek', position: 1 }, { type: 'play' });
    expect(s).toMatchObject({ playing: true, position: 1 });
    s = replayViewReducer(s, { type: 'pause' });
    expect(s.playing).toBe(false);
    expect(replayViewReducer(s, { type: 'tick' }).position).toBe(1);
    s = run(s, { type: 'play' }, { type: 'step', delta: 1 });
    expect(s).toMatchObject({ playing: false, position: 2 });
    s = run(s, { type: 'play' }, { type: 'pick', pick: 1 });
    expect(s.playing).toBe(false);
    // Seeking while playing keeps playing, unless it seeks to the end.
    s = run(s, { type: 'seek', position: 0 }, { type: 'play' }, { type: 'seek', position: 1 });
    expect(s.playing).toBe(true);
    s = replayViewReducer(s, { type: 'seek', position: 3 });
    expect(s.playing).toBe(false);
  });

  it('does not play an episode without turns', () => {
    const s = initialViewState(snap(1, [episode(1, 0, 0)]));
    expect(replayViewReducer(s, { type: 'play' })).toBe(s);
  });
});

describe('ReplayPanel markup', () => {
  afterEach(() => useReplayStore.getState().reset());

  const render = () => renderToStaticMarkup(createElement(ReplayPanel));
  const count = (html: string, needle: string) => html.split(needle).length - 1;

  it('says where episodes will come from before there are any', () => {
    const html = render();
    expect(html).toContain('data-testid="replay-panel"');
    expect(html).toContain('Replay episodes');
    expect(html).toContain('Episodes appear here after the first training iteration.');
    expect(html).not.toContain('data-testid="replay-turns"');
  });

  it('shows the first latest episode whole, with Q, V and A for every turn', () => {
    const e = episode(3, 0, 4, { target: 'banana', return: -3 });
    e.turns[1] = turn('Is it yellow?', 'No.', 0.5, 0.7, 0.1, 0.2); // A = 0.5 - 0.1 = +0.40
    e.turns[2] = turn('Is it round?', 'Invalid Question.', -1, -1, 0.25, 0.3); // A = -1.25
    useReplayStore.getState().setEpisodes({ iteration: 3, latest: [e, episode(3, 1, 2)], best: e, worst: e });
    const html = render();
    expect(count(html, 'data-testid="replay-turn"')).toBe(4);
    expect(count(html, 'data-testid="turn-q"')).toBe(4);
    expect(count(html, 'data-testid="turn-v"')).toBe(4);
    expect(count(html, 'data-testid="turn-advantage"')).toBe(4);
    expect(html).toMatch(/data-testid="replay-position">4 \/ 4</);
    expect(html).toContain('aria-label="Replay position"');
    expect(html).toContain('banana');
    expect(html).toContain('#1 · banana · -3 · solved');
    expect(html).toContain('#2 · cat · -1 · solved');
    const rows = html.split('data-testid="replay-turn"').slice(1);
    expect(rows[1]).toContain('adv-pos');
    expect(rows[1]).toContain('data-testid="turn-advantage">+0.40<');
    expect(rows[2]).toContain('adv-neg');
    expect(rows[2]).toContain('data-testid="turn-advantage">-1.25<');
    expect(rows[2]).toContain('style="width:50.0%"'); // the largest |A| fills its half of the bar
    expect(html).toContain('class="a a-no"');
    expect(html).toContain('class="a a-invalidquestion"');
    expect(html).toMatch(/data-testid="turn-q">0\.50</);
    expect(html).toMatch(/data-testid="turn-v">0\.10</);
    expect(html).toContain('Q1 0.50 · Q2 0.70 · V1 0.10 · V2 0.20');
    expect(html).toContain('>Previous turn</button>');
    expect(html).toContain('Next turn');
    expect(html).toContain('>Play</button>');
    expect(html).not.toContain('show latest');
  });
});
