/**
 * Errors of the browser run store (IndexedDB). Every failure the caller is expected to handle is a
 * StorageError whose `kind` says what to do about it:
 *   'quota'     the browser refused to store more (QuotaExceededError); the message is meant for the user.
 *   'corrupt'   a stored record is malformed or a checkpoint does not verify (CorruptRecordError).
 *   'not-found' the run (or its checkpoint manifest) does not exist.
 *   'invalid'   the caller passed something that cannot be stored (empty name, a row without iteration...).
 */

export type StorageErrorKind = 'quota' | 'corrupt' | 'not-found' | 'invalid';

export class StorageError extends Error {
  readonly kind: StorageErrorKind;

  constructor(kind: StorageErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.kind = kind;
  }
}

/** Where a corrupt record lives: the object store and, when known, its key; plus the run, checkpoint and file it belongs to. */
export interface CorruptRecordInfo {
  store: string;
  key?: unknown;
  runId?: string;
  checkpointId?: string;
  path?: string;
}

/** A stored record that is malformed, or a checkpoint file whose chunks are missing or do not match its manifest. */
export class CorruptRecordError extends StorageError {
  readonly store: string;
  readonly key: unknown;
  readonly runId: string | undefined;
  readonly checkpointId: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, info: CorruptRecordInfo, options?: { cause?: unknown }) {
    super('corrupt', message, options);
    this.name = 'CorruptRecordError';
    this.store = info.store;
    this.key = info.key;
    this.runId = info.runId;
    this.checkpointId = info.checkpointId;
    this.path = info.path;
  }
}

/** Names browsers use for "storage is full" (Firefox has used its own in the past). */
const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/**
 * Whether `error` is (or was caused by) the browser refusing to store more: a DOMException named
 * QuotaExceededError, whether thrown by a request, set as a transaction's error, or carried as `cause`.
 */
export function isQuotaError(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && e !== undefined && depth < 8; depth++) {
    if (typeof e !== 'object') return false;
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && QUOTA_NAMES.has(name)) return true;
    if ((e as { code?: unknown }).code === 22 && name !== 'StorageError') return true; // DOMException.QUOTA_EXCEEDED_ERR
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A one-line description of any thrown value, for messages ("AbortError: The transaction was aborted"). */
export function describeError(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    const n = typeof name === 'string' ? name : 'Error';
    return typeof message === 'string' && message !== '' ? `${n}: ${message}` : n;
  }
  return String(error);
}
