/** FNV-1a (32-bit) over bytes, as 8 lowercase hex digits: the checksum of each stored checkpoint file. */
export function fnv1a32(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Splits `bytes` into copies of at most `size` bytes each (copies, so each stored value owns a small
 * buffer: storing a view would clone its whole underlying buffer). An empty file has no chunks.
 */
export function splitChunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.slice(at, Math.min(at + size, bytes.length)));
  return out;
}
