/**
 * A fixed-capacity ring buffer of utterance-level transitions (s, a, r, s', done) for ArCHer's
 * off-policy critic, with uniform sampling from a seeded Rng and a compact, JSON-safe snapshot
 * (whole or in chunks, for IndexedDB) that restores the buffer bit for bit.
 *
 * Layout: slot `i` (physical index) holds the i-th transition written modulo capacity. `head`
 * is the slot the next push writes; while the buffer is not yet full `head === size`, once full
 * the push at `head` overwrites the oldest transition. Snapshots keep the physical layout, so a
 * restored buffer samples exactly the same transitions as the original for the same Rng state.
 */
import type { Rng } from '../util/rng';

export interface Transition {
  state: string;
  action: string;
  reward: number;
  nextState: string;
  done: boolean;
  /** Optional bookkeeping: which episode and which turn of it produced the transition. */
  episode?: number;
  turn?: number;
}

export const REPLAY_SNAPSHOT_FORMAT = 'archer-lab/replay@1';

/**
 * Column-wise transitions for a run of consecutive slots. Strings (states repeat a lot: s' of
 * one turn is s of the next) are interned: `state`, `action` and `nextState` hold indices into
 * `strings`. `done` is 0/1. `episode` / `turn` are present only when some transition in the run
 * has that field; `null` marks the ones that do not.
 */
export interface ReplayRecords {
  strings: string[];
  state: number[];
  action: number[];
  nextState: number[];
  reward: number[];
  done: number[];
  episode?: (number | null)[];
  turn?: (number | null)[];
}

/** The whole buffer: header plus the records of slots 0 .. size-1. */
export interface ReplaySnapshot extends ReplayRecords {
  format: typeof REPLAY_SNAPSHOT_FORMAT;
  capacity: number;
  /** Slot the next push writes (equals size until the buffer has wrapped). */
  head: number;
  size: number;
  totalPushed: number;
}

/**
 * One piece of a chunked snapshot: the same header in every chunk, the chunk's position
 * (`index` of `count`), and self-contained records (own string table) for slots
 * `start .. start + state.length - 1`. An empty buffer still has one (empty) chunk.
 */
export interface ReplaySnapshotChunk extends ReplayRecords {
  format: typeof REPLAY_SNAPSHOT_FORMAT;
  capacity: number;
  head: number;
  size: number;
  totalPushed: number;
  index: number;
  count: number;
  start: number;
}

function checkCapacity(capacity: unknown, where: string): number {
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity <= 0) {
    throw new Error(`${where}: capacity must be a positive integer, got ${String(capacity)}`);
  }
  return capacity;
}

function checkTransition(t: unknown, where: string): Transition {
  if (typeof t !== 'object' || t === null) throw new Error(`${where}: a transition must be an object`);
  const x = t as Record<string, unknown>;
  for (const key of ['state', 'action', 'nextState'] as const) {
    if (typeof x[key] !== 'string') throw new Error(`${where}: transition.${key} must be a string, got ${typeof x[key]}`);
  }
  if (typeof x.reward !== 'number' || !Number.isFinite(x.reward)) {
    throw new Error(`${where}: transition.reward must be a finite number, got ${String(x.reward)}`);
  }
  if (typeof x.done !== 'boolean') throw new Error(`${where}: transition.done must be a boolean, got ${typeof x.done}`);
  for (const key of ['episode', 'turn'] as const) {
    const v = x[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new Error(`${where}: transition.${key} must be a finite number when given, got ${String(v)}`);
    }
  }
  return t as Transition;
}

/**
 * A frozen copy holding only the known fields. A reward of -0 is stored as 0 so that JSON (which
 * writes -0 as 0) round-trips every stored value exactly.
 */
function freezeCopy(t: Transition): Transition {
  const copy: Transition = {
    state: t.state,
    action: t.action,
    reward: t.reward === 0 ? 0 : t.reward,
    nextState: t.nextState,
    done: t.done,
  };
  if (t.episode !== undefined) copy.episode = t.episode === 0 ? 0 : t.episode;
  if (t.turn !== undefined) copy.turn = t.turn === 0 ? 0 : t.turn;
  return Object.freeze(copy);
}

function encodeRecords(items: readonly Transition[]): ReplayRecords {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      ids.set(s, id);
    }
    return id;
  };
  const rec: ReplayRecords = { strings, state: [], action: [], nextState: [], reward: [], done: [] };
  const hasEpisode = items.some((t) => t.episode !== undefined);
  const hasTurn = items.some((t) => t.turn !== undefined);
  if (hasEpisode) rec.episode = [];
  if (hasTurn) rec.turn = [];
  for (const t of items) {
    rec.state.push(intern(t.state));
    rec.action.push(intern(t.action));
    rec.nextState.push(intern(t.nextState));
    rec.reward.push(t.reward);
    rec.done.push(t.done ? 1 : 0);
    rec.episode?.push(t.episode ?? null);
    rec.turn?.push(t.turn ?? null);
  }
  return rec;
}

function decodeRecords(raw: Record<string, unknown>, expectedLength: number | undefined, where: string): Transition[] {
  const { strings } = raw;
  if (!Array.isArray(strings) || strings.some((s) => typeof s !== 'string')) {
    throw new Error(`${where}: "strings" must be an array of strings`);
  }
  const columns = ['state', 'action', 'nextState', 'reward', 'done'] as const;
  for (const key of columns) {
    if (!Array.isArray(raw[key])) throw new Error(`${where}: "${key}" must be an array`);
  }
  const n = (raw.state as unknown[]).length;
  if (expectedLength !== undefined && n !== expectedLength) {
    throw new Error(`${where}: expected ${expectedLength} records, "state" has ${n}`);
  }
  for (const key of columns) {
    const len = (raw[key] as unknown[]).length;
    if (len !== n) throw new Error(`${where}: column "${key}" has length ${len}, "state" has ${n}`);
  }
  const optional = (key: 'episode' | 'turn'): (number | null)[] | undefined => {
    const col = raw[key];
    if (col === undefined) return undefined;
    if (!Array.isArray(col) || col.length !== n) throw new Error(`${where}: optional column "${key}" must be an array of length ${n}`);
    col.forEach((v, i) => {
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new Error(`${where}: ${key}[${i}] must be a finite number or null, got ${String(v)}`);
      }
    });
    return col as (number | null)[];
  };
  const episode = optional('episode');
  const turn = optional('turn');
  const str = (key: 'state' | 'action' | 'nextState', i: number): string => {
    const id = (raw[key] as unknown[])[i];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= strings.length) {
      throw new Error(`${where}: ${key}[${i}] = ${String(id)} is not an index into the string table (size ${strings.length})`);
    }
    return strings[id] as string;
  };
  const out: Transition[] = [];
  for (let i = 0; i < n; i++) {
    const reward = (raw.reward as unknown[])[i];
    if (typeof reward !== 'number' || !Number.isFinite(reward)) {
      throw new Error(`${where}: reward[${i}] must be a finite number, got ${String(reward)}`);
    }
    const done = (raw.done as unknown[])[i];
    if (done !== 0 && done !== 1) throw new Error(`${where}: done[${i}] must be 0 or 1, got ${String(done)}`);
    const t: Transition = {
      state: str('state', i),
      action: str('action', i),
      reward,
      nextState: str('nextState', i),
      done: done === 1,
    };
    const ep = episode?.[i];
    if (ep !== undefined && ep !== null) t.episode = ep;
    const tu = turn?.[i];
    if (tu !== undefined && tu !== null) t.turn = tu;
    out.push(freezeCopy(t));
  }
  return out;
}

interface Header {
  capacity: number;
  head: number;
  size: number;
  totalPushed: number;
}

/** Checks the header fields and that they agree with each other (head and size follow from totalPushed). */
function checkHeader(raw: Record<string, unknown>, where: string): Header {
  if (raw.format !== REPLAY_SNAPSHOT_FORMAT) {
    throw new Error(`${where}: unknown format ${JSON.stringify(raw.format)}, expected "${REPLAY_SNAPSHOT_FORMAT}"`);
  }
  const capacity = checkCapacity(raw.capacity, where);
  const int = (key: string): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${where}: "${key}" must be a non-negative integer, got ${String(v)}`);
    return v;
  };
  const head = int('head');
  const size = int('size');
  const totalPushed = int('totalPushed');
  const wantSize = Math.min(totalPushed, capacity);
  const wantHead = totalPushed % capacity;
  if (size !== wantSize) throw new Error(`${where}: size ${size} does not match totalPushed ${totalPushed} and capacity ${capacity} (expected ${wantSize})`);
  if (head !== wantHead) throw new Error(`${where}: head ${head} does not match totalPushed ${totalPushed} and capacity ${capacity} (expected ${wantHead})`);
  return { capacity, head, size, totalPushed };
}

function asObject(x: unknown, where: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Error(`${where}: expected an object`);
  return x as Record<string, unknown>;
}

export class ReplayBuffer {
  private readonly slots: Transition[] = [];
  private readonly cap: number;
  private head = 0;
  private pushed = 0;

  constructor(capacity: number) {
    this.cap = checkCapacity(capacity, 'ReplayBuffer');
  }

  get size(): number {
    return this.slots.length;
  }

  get capacity(): number {
    return this.cap;
  }

  /** Every push ever made, including the ones since overwritten. */
  get totalPushed(): number {
    return this.pushed;
  }

  /** Stores a (validated, frozen) copy; when full, overwrites the oldest transition. */
  push(t: Transition): void {
    const copy = freezeCopy(checkTransition(t, 'ReplayBuffer.push'));
    if (this.slots.length < this.cap) this.slots.push(copy);
    else this.slots[this.head] = copy;
    this.head = (this.head + 1) % this.cap;
    this.pushed++;
  }

  /** Pushes in order; validates all first, so a bad transition leaves the buffer unchanged. */
  pushMany(ts: readonly Transition[]): void {
    ts.forEach((t, i) => checkTransition(t, `ReplayBuffer.pushMany[${i}]`));
    for (const t of ts) this.push(t);
  }

  /** The i-th stored transition, oldest first (0 = oldest, size-1 = newest). */
  at(i: number): Transition {
    if (!Number.isInteger(i) || i < 0 || i >= this.slots.length) {
      throw new Error(`ReplayBuffer.at: index ${i} out of range [0, ${this.slots.length})`);
    }
    const start = this.slots.length < this.cap ? 0 : this.head;
    return this.slots[(start + i) % this.slots.length] as Transition;
  }

  /** All stored transitions, oldest first. */
  toArray(): Transition[] {
    return Array.from({ length: this.slots.length }, (_, i) => this.at(i));
  }

  /** `batchSize` transitions drawn uniformly with replacement from the stored ones (one rng.int per draw). */
  sample(batchSize: number, rng: Rng): Transition[] {
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`ReplayBuffer.sample: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (this.slots.length === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    const out: Transition[] = [];
    for (let k = 0; k < batchSize; k++) out.push(this.slots[rng.int(this.slots.length)] as Transition);
    return out;
  }

  private header(): Header {
    return { capacity: this.cap, head: this.head, size: this.slots.length, totalPushed: this.pushed };
  }

  /** A compact JSON-safe snapshot in physical slot order. */
  toJSON(): ReplaySnapshot {
    return { format: REPLAY_SNAPSHOT_FORMAT, ...this.header(), ...encodeRecords(this.slots) };
  }

  static fromJSON(snapshot: unknown): ReplayBuffer {
    const where = 'ReplayBuffer.fromJSON';
    const raw = asObject(snapshot, where);
    const header = checkHeader(raw, where);
    return ReplayBuffer.build(header, decodeRecords(raw, header.size, where));
  }

  /** The snapshot cut into chunks of at most `chunkSize` transitions, each with its own string table. */
  toChunks(chunkSize: number): ReplaySnapshotChunk[] {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new Error(`ReplayBuffer.toChunks: chunkSize must be a positive integer, got ${chunkSize}`);
    }
    const n = this.slots.length;
    const count = Math.max(1, Math.ceil(n / chunkSize));
    const chunks: ReplaySnapshotChunk[] = [];
    for (let index = 0; index < count; index++) {
      const start = index * chunkSize;
      chunks.push({
        format: REPLAY_SNAPSHOT_FORMAT,
        ...this.header(),
        index,
        count,
        start,
        ...encodeRecords(this.slots.slice(start, start + chunkSize)),
      });
    }
    return chunks;
  }

  /** Rebuilds from chunks in any order; all of them must be present, from the same snapshot, and contiguous. */
  static fromChunks(chunks: readonly unknown[]): ReplayBuffer {
    const where = 'ReplayBuffer.fromChunks';
    if (!Array.isArray(chunks) || chunks.length === 0) throw new Error(`${where}: expected a non-empty array of chunks`);
    const parsed = chunks.map((c, k) => {
      const w = `${where}: chunk ${k}`;
      const raw = asObject(c, w);
      const header = checkHeader(raw, w);
      for (const key of ['index', 'count', 'start'] as const) {
        const v = raw[key];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${w}: "${key}" must be a non-negative integer, got ${String(v)}`);
      }
      return { raw, header, index: raw.index as number, count: raw.count as number, start: raw.start as number };
    });
    const first = parsed[0]!;
    for (const p of parsed) {
      const a = p.header;
      const b = first.header;
      if (a.capacity !== b.capacity || a.head !== b.head || a.size !== b.size || a.totalPushed !== b.totalPushed || p.count !== first.count) {
        throw new Error(`${where}: chunk ${p.index} comes from a different snapshot (header mismatch)`);
      }
    }
    if (first.count !== parsed.length) throw new Error(`${where}: expected ${first.count} chunks, got ${parsed.length}`);
    parsed.sort((x, y) => x.index - y.index);
    const items: Transition[] = [];
    parsed.forEach((p, k) => {
      if (p.index !== k) throw new Error(`${where}: chunk index ${k} is missing or duplicated`);
      if (p.start !== items.length) throw new Error(`${where}: chunk ${k} starts at slot ${p.start}, expected ${items.length}`);
      for (const t of decodeRecords(p.raw, undefined, `${where}: chunk ${k}`)) items.push(t);
    });
    if (items.length !== first.header.size) {
      throw new Error(`${where}: chunks hold ${items.length} transitions, header says size ${first.header.size}`);
    }
    return ReplayBuffer.build(first.header, items);
  }

  private static build(header: Header, items: Transition[]): ReplayBuffer {
    const buf = new ReplayBuffer(header.capacity);
    for (const t of items) buf.slots.push(t);
    buf.head = header.head;
    buf.pushed = header.totalPushed;
    return buf;
  }
}
