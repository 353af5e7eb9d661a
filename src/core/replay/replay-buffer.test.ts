import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { REPLAY_SNAPSHOT_FORMAT, ReplayBuffer, type Transition } from './replay-buffer';

function tr(i: number, extra: Partial<Transition> = {}): Transition {
  return {
    state: `s${i % 3}`,
    action: `a${i}`,
    reward: i % 4 === 0 ? -1 : 0.5 * i + 1e-9 * i,
    nextState: `s${(i + 1) % 3}`,
    done: i % 5 === 4,
    ...extra,
  };
}

function filled(capacity: number, n: number, withBookkeeping = false): ReplayBuffer {
  const b = new ReplayBuffer(capacity);
  for (let i = 0; i < n; i++) b.push(withBookkeeping && i % 2 === 0 ? tr(i, { episode: Math.floor(i / 3), turn: i % 3 }) : tr(i));
  return b;
}

describe('ReplayBuffer basics', () => {
  it('rejects bad capacities with a clear error', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new ReplayBuffer(bad)).toThrow(/capacity must be a positive integer/);
    }
  });

  it('rejects malformed transitions, and pushMany is all-or-nothing', () => {
    const b = new ReplayBuffer(4);
    expect(() => b.push({ ...tr(0), reward: Number.NaN })).toThrow(/reward must be a finite number/);
    expect(() => b.push({ ...tr(0), done: 1 as unknown as boolean })).toThrow(/done must be a boolean/);
    expect(() => b.push({ ...tr(0), state: 3 as unknown as string })).toThrow(/state must be a string/);
    expect(() => b.pushMany([tr(0), { ...tr(1), reward: Infinity }])).toThrow(/pushMany\[1\]/);
    expect(b.size).toBe(0);
    expect(b.totalPushed).toBe(0);
  });

  it('counts size, capacity and totalPushed', () => {
    const b = new ReplayBuffer(3);
    expect([b.size, b.capacity, b.totalPushed]).toEqual([0, 3, 0]);
    b.pushMany([tr(0), tr(1)]);
    expect([b.size, b.capacity, b.totalPushed]).toEqual([2, 3, 2]);
    b.pushMany([tr(2), tr(3), tr(4)]);
    expect([b.size, b.capacity, b.totalPushed]).toEqual([3, 3, 5]);
  });

  it('overwrites the oldest when full, and at() reads oldest first', () => {
    const b = new ReplayBuffer(3);
    b.pushMany([tr(0), tr(1), tr(2)]);
    expect(b.toArray().map((t) => t.action)).toEqual(['a0', 'a1', 'a2']);
    b.push(tr(3));
    expect(b.toArray().map((t) => t.action)).toEqual(['a1', 'a2', 'a3']);
    b.pushMany([tr(4), tr(5), tr(6), tr(7)]);
    expect(b.toArray().map((t) => t.action)).toEqual(['a5', 'a6', 'a7']);
    expect(b.at(0).action).toBe('a5');
    expect(b.at(2).action).toBe('a7');
    expect(() => b.at(3)).toThrow(/out of range/);
    expect(() => b.at(-1)).toThrow(/out of range/);
  });

  it('stores copies, so later mutation of the pushed object does not leak in', () => {
    const b = new ReplayBuffer(2);
    const t = tr(1);
    b.push(t);
    t.action = 'changed';
    expect(b.at(0).action).toBe('a1');
    expect(Object.isFrozen(b.at(0))).toBe(true);
  });
});

describe('ReplayBuffer.sample', () => {
  it('throws when empty or for a bad batch size', () => {
    const b = new ReplayBuffer(3);
    expect(() => b.sample(1, new Rng(1))).toThrow(/empty/);
    b.push(tr(0));
    expect(() => b.sample(0, new Rng(1))).toThrow(/batchSize/);
  });

  it('only returns stored transitions (never overwritten ones) and covers all of them', () => {
    const b = filled(5, 13);
    const stored = new Set(b.toArray().map((t) => t.action));
    expect(stored).toEqual(new Set(['a8', 'a9', 'a10', 'a11', 'a12']));
    const seen = new Set<string>();
    for (const t of b.sample(500, new Rng(3))) {
      expect(stored.has(t.action)).toBe(true);
      seen.add(t.action);
    }
    expect(seen).toEqual(stored);
  });

  it('is reproducible for the same seed and differs for another seed', () => {
    const b = filled(50, 80);
    const a1 = b.sample(32, new Rng(11)).map((t) => t.action);
    const a2 = b.sample(32, new Rng(11)).map((t) => t.action);
    const a3 = b.sample(32, new Rng(12)).map((t) => t.action);
    expect(a1).toEqual(a2);
    expect(a1).not.toEqual(a3);
  });

  it('samples roughly uniformly', () => {
    const b = filled(4, 4);
    const counts = new Map<string, number>();
    for (const t of b.sample(8000, new Rng(5))) counts.set(t.action, (counts.get(t.action) ?? 0) + 1);
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('ReplayBuffer snapshots', () => {
  const cases: Array<[string, number, number]> = [
    ['empty', 4, 0],
    ['partly filled', 8, 5],
    ['exactly full', 6, 6],
    ['wrapped around', 7, 23],
  ];

  for (const [name, cap, n] of cases) {
    it(`round-trips through JSON text bit for bit (${name})`, () => {
      const b = filled(cap, n, true);
      const text = JSON.stringify(b.toJSON());
      const r = ReplayBuffer.fromJSON(JSON.parse(text));
      expect([r.size, r.capacity, r.totalPushed]).toEqual([b.size, b.capacity, b.totalPushed]);
      expect(r.toArray()).toEqual(b.toArray());
      expect(JSON.stringify(r.toJSON())).toBe(text);
      for (let i = 0; i < r.size; i++) {
        expect(Object.is(r.at(i).reward, b.at(i).reward)).toBe(true);
        expect(Object.keys(r.at(i)).sort()).toEqual(Object.keys(b.at(i)).sort());
      }
      if (n > 0) expect(r.sample(20, new Rng(9))).toEqual(b.sample(20, new Rng(9)));
      // The restored buffer keeps going exactly as the original does.
      b.pushMany([tr(100), tr(101)]);
      r.pushMany([tr(100), tr(101)]);
      expect(r.toArray()).toEqual(b.toArray());
      expect(r.toJSON()).toEqual(b.toJSON());
    });

    for (const chunkSize of [1, 3, 100]) {
      it(`round-trips through chunks of ${chunkSize} bit for bit (${name})`, () => {
        const b = filled(cap, n, true);
        const chunks = b.toChunks(chunkSize);
        expect(chunks.length).toBe(Math.max(1, Math.ceil(b.size / chunkSize)));
        const viaText = JSON.parse(JSON.stringify(chunks)) as unknown[];
        const r = ReplayBuffer.fromChunks(viaText.slice().reverse());
        expect(r.toArray()).toEqual(b.toArray());
        expect(JSON.stringify(r.toJSON())).toBe(JSON.stringify(b.toJSON()));
        expect(r.totalPushed).toBe(b.totalPushed);
      });
    }
  }

  it('is compact: repeated states are stored once in the string table', () => {
    const b = new ReplayBuffer(100);
    for (let i = 0; i < 100; i++) b.push({ state: 'a long shared dialogue history', action: i % 2 ? 'yes' : 'no', reward: -1, nextState: 'a long shared dialogue history', done: false });
    const snap = b.toJSON();
    expect(snap.strings).toEqual(['a long shared dialogue history', 'no', 'yes']);
    expect(snap.episode).toBeUndefined();
    expect(snap.format).toBe(REPLAY_SNAPSHOT_FORMAT);
  });

  it('normalises a reward of -0 to 0 so JSON round trips stay exact', () => {
    const b = new ReplayBuffer(2);
    b.push({ ...tr(1), reward: -0 });
    expect(Object.is(b.at(0).reward, 0)).toBe(true);
    expect(Object.is(ReplayBuffer.fromJSON(JSON.parse(JSON.stringify(b))).at(0).reward, 0)).toBe(true);
  });

  it('rejects corrupt or inconsistent snapshots with clear errors', () => {
    const good = () => JSON.parse(JSON.stringify(filled(4, 6, true).toJSON())) as Record<string, unknown>;
    const bad = (mutate: (s: Record<string, unknown>) => void, msg: RegExp): void => {
      const s = good();
      mutate(s);
      expect(() => ReplayBuffer.fromJSON(s)).toThrow(msg);
    };
    expect(() => ReplayBuffer.fromJSON(null)).toThrow(/expected an object/);
    expect(() => ReplayBuffer.fromJSON([])).toThrow(/expected an object/);
    bad((s) => (s.format = 'other@9'), /unknown format/);
    bad((s) => (s.capacity = 0), /capacity must be a positive integer/);
    bad((s) => (s.size = 3), /size 3 does not match/);
    bad((s) => (s.head = 0), /head 0 does not match/);
    bad((s) => (s.totalPushed = -1), /totalPushed/);
    bad((s) => (s.strings = 'x'), /"strings" must be an array of strings/);
    bad((s) => (s.state as number[]).pop(), /expected 4 records/);
    bad((s) => (s.reward as number[]).pop(), /column "reward" has length 3/);
    bad((s) => ((s.action as number[])[1] = 99), /action\[1\] = 99 is not an index/);
    bad((s) => ((s.nextState as number[])[0] = 0.5), /nextState\[0\] = 0.5/);
    bad((s) => ((s.reward as unknown[])[2] = 'x'), /reward\[2\] must be a finite number/);
    bad((s) => ((s.done as number[])[0] = 2), /done\[0\] must be 0 or 1/);
    bad((s) => ((s.episode as unknown[])[0] = 'e'), /episode\[0\] must be a finite number or null/);
    bad((s) => (s.turn = [1]), /optional column "turn"/);
    bad((s) => delete s.done, /"done" must be an array/);
  });

  it('rejects missing, duplicated, mixed or corrupt chunks', () => {
    const b = filled(6, 9, true);
    const chunks = () => JSON.parse(JSON.stringify(b.toChunks(2))) as Array<Record<string, unknown>>;
    expect(() => ReplayBuffer.fromChunks([])).toThrow(/non-empty array/);
    expect(() => ReplayBuffer.fromChunks(chunks().slice(1))).toThrow(/expected 3 chunks, got 2/);
    const dup = chunks();
    dup[1] = { ...dup[0]! };
    expect(() => ReplayBuffer.fromChunks(dup)).toThrow(/missing or duplicated/);
    const other = JSON.parse(JSON.stringify(filled(6, 10, true).toChunks(2))) as unknown[];
    expect(() => ReplayBuffer.fromChunks([...chunks().slice(0, 2), other[2]])).toThrow(/different snapshot|does not match/);
    const shifted = chunks();
    shifted[1]!.start = 3;
    expect(() => ReplayBuffer.fromChunks(shifted)).toThrow(/starts at slot 3, expected 2/);
    const short = chunks();
    (short[2]!.state as number[]).pop();
    expect(() => ReplayBuffer.fromChunks(short)).toThrow(/column|hold 5 transitions/);
    const corrupt = chunks();
    (corrupt[0]!.action as number[])[0] = 42;
    expect(() => ReplayBuffer.fromChunks(corrupt)).toThrow(/chunk 0: action\[0\] = 42/);
    expect(() => b.toChunks(0)).toThrow(/chunkSize/);
  });
});
