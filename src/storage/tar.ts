/**
 * A minimal tar reader and writer for moving a run as one file (browser download / upload and the
 * command line's export / import). Pure: no file system, no DOM; runs in a worker and in Node.
 *
 * tarPack writes POSIX ustar: one 512-byte header per regular file (mode 0644, uid/gid 0, mtime 0,
 * so the same files always give the same bytes), the data padded to 512 bytes, and two zero blocks
 * at the end. Folders are implied by the paths. Names longer than 100 bytes are split into the
 * ustar prefix field (up to 155 more bytes, cut at a '/').
 *
 * tarUnpack reads what tarPack writes and what GNU tar writes by default (gnu, ustar and pax
 * formats: GNU long names and pax `path` / `size` records are honoured, folder entries are
 * skipped). It checks every header's checksum, refuses links, devices and unsafe paths ('..',
 * absolute), and names the entry when the archive is truncated.
 */
import type { FileMap } from './checkpoint-files';

export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** Rejects paths that could not be written safely under a folder: empty parts, '.', '..', absolute, backslashes. */
export function checkRelativePath(path: string, where = 'tar'): void {
  if (path.length === 0) throw new TarFormatError(`${where}: empty file name`);
  if (path.startsWith('/')) throw new TarFormatError(`${where}: "${path}" is an absolute path`);
  if (path.includes('\\') || path.includes('\0')) throw new TarFormatError(`${where}: "${path}" has a backslash or NUL in its name`);
  for (const part of path.split('/')) {
    if (part === '' || part === '.' || part === '..') throw new TarFormatError(`${where}: "${path}" is not a plain relative path (empty, "." or ".." part)`);
  }
}

function writeString(header: Uint8Array, offset: number, length: number, bytes: Uint8Array): void {
  if (bytes.length > length) throw new Error(`tar: field too long (${bytes.length} > ${length})`);
  header.set(bytes, offset);
}

/** An octal number of `length - 1` digits followed by NUL. */
function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new TarFormatError(`tar: ${value} does not fit a ${length}-byte field`);
  writeString(header, offset, length, encoder.encode(`${text}\0`));
}

function headerSum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum;
}

/** Splits a UTF-8 name into ustar's prefix (<= 155 bytes) and name (<= 100 bytes) at a '/'. */
function splitName(path: string): { name: Uint8Array; prefix: Uint8Array } {
  const whole = encoder.encode(path);
  if (whole.length <= 100) return { name: whole, prefix: new Uint8Array(0) };
  for (let i = whole.length - 1; i > 0; i--) {
    if (whole[i] !== 0x2f) continue; // '/'
    const name = whole.subarray(i + 1);
    if (name.length > 100) break; // an earlier '/' only makes the name longer
    const prefix = whole.subarray(0, i);
    if (prefix.length <= 155 && name.length > 0) return { name, prefix };
  }
  throw new TarFormatError(`tar: "${path}" is too long for a ustar header (at most 100 bytes, or 155 + "/" + 100 split at a "/")`);
}

function makeHeader(path: string, size: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  const { name, prefix } = splitName(path);
  writeString(header, 0, 100, name);
  writeOctal(header, 100, 8, 0o644); // mode
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 0); // mtime
  header[156] = 0x30; // typeflag '0': regular file
  writeString(header, 257, 6, encoder.encode('ustar\0'));
  writeString(header, 263, 2, encoder.encode('00'));
  writeOctal(header, 329, 8, 0); // devmajor
  writeOctal(header, 337, 8, 0); // devminor
  writeString(header, 345, 155, prefix);
  const sum = headerSum(header);
  writeString(header, 148, 8, encoder.encode(`${sum.toString(8).padStart(6, '0')}\0 `));
  return header;
}

const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/** The files (in the map's order) as a ustar archive. Deterministic: same map, same bytes. */
export function tarPack(files: FileMap): Uint8Array {
  const entries = Object.entries(files);
  for (const [path] of entries) checkRelativePath(path, 'tarPack');
  const total = entries.reduce((n, [, data]) => n + BLOCK + padded(data.length), 0) + 2 * BLOCK;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const [path, data] of entries) {
    out.set(makeHeader(path, data.length), offset);
    offset += BLOCK;
    out.set(data, offset);
    offset += padded(data.length);
  }
  return out; // the last two blocks stay zero: end of archive
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function readNumber(block: Uint8Array, offset: number, length: number, what: string, entry: string): number {
  const field = block.subarray(offset, offset + length);
  if ((field[0]! & 0x80) !== 0) {
    // GNU base-256 for big numbers: the rest of the field, big-endian.
    let n = 0;
    for (let i = 1; i < length; i++) n = n * 256 + field[i]!;
    if (field[0] !== 0x80) n += (field[0]! & 0x3f) * 256 ** (length - 1);
    return n;
  }
  const text = readString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`tar: entry "${entry}": ${what} field "${text}" is not an octal number (a corrupt archive)`);
  return parseInt(text, 8);
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** Whether the block is a tar header: ustar magic (POSIX or GNU) and a correct checksum. */
function headerProblem(block: Uint8Array): string | undefined {
  const magic = decoder.decode(block.subarray(257, 263));
  if (magic !== 'ustar\0' && magic !== 'ustar ') return 'no ustar magic';
  const stored = readString(block, 148, 8).trim();
  if (!/^[0-7]+$/.test(stored)) return 'unreadable header checksum';
  const want = parseInt(stored, 8);
  const unsigned = headerSum(block);
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) signed += i >= 148 && i < 156 ? 32 : (block[i]! << 24) >> 24;
  if (want !== unsigned && want !== signed) return `header checksum ${want} does not match ${unsigned}`;
  return undefined;
}

/** Pax extended header records: "LEN key=value\n" ... */
function parsePax(data: Uint8Array, entry: string): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    let sp = pos;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number(decoder.decode(data.subarray(pos, sp)));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) throw new TarFormatError(`tar: entry "${entry}": malformed pax header`);
    const record = decoder.decode(data.subarray(sp + 1, pos + len - 1));
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

/**
 * The regular files of a tar archive, by path (a leading "./" dropped). Throws TarFormatError:
 * "not a tar archive" when the first block is no tar header, and errors naming the entry for a bad
 * header checksum, a truncated entry, a missing end, links or unsafe paths.
 */
export function tarUnpack(bytes: Uint8Array): FileMap {
  if (bytes.length < BLOCK) throw new TarFormatError(`not a tar archive (${bytes.length} bytes, shorter than one 512-byte header)`);
  const first = bytes.subarray(0, BLOCK);
  const firstProblem = isZeroBlock(first) ? undefined : headerProblem(first);
  if (firstProblem) throw new TarFormatError(`not a tar archive (${firstProblem} in the first header)`);
  const files: FileMap = {};
  let offset = 0;
  let previous = '(start of archive)';
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  for (;;) {
    if (offset + BLOCK > bytes.length) {
      throw new TarFormatError(`tar: the archive ends after entry "${previous}" without its end-of-archive blocks (a truncated archive)`);
    }
    const block = bytes.subarray(offset, offset + BLOCK);
    if (isZeroBlock(block)) break;
    const problem = headerProblem(block);
    if (problem) throw new TarFormatError(`tar: corrupt header after entry "${previous}" (${problem})`);
    const rawName = readString(block, 0, 100);
    const prefix = readString(block, 345, 155);
    const ustar = decoder.decode(block.subarray(257, 263)) === 'ustar\0';
    let name = ustar && prefix ? `${prefix}/${rawName}` : rawName;
    const type = String.fromCharCode(block[156]!);
    let size = readNumber(block, 124, 12, 'size', name);
    const meta = { ...globalPax, ...pax };
    if (type !== 'x' && type !== 'g' && type !== 'L' && type !== 'K') {
      if (longName !== undefined) name = longName;
      if (meta.path !== undefined) name = meta.path;
      if (meta.size !== undefined) {
        size = Number(meta.size);
        if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`tar: entry "${name}": pax size "${meta.size}" is not a byte count`);
      }
    }
    const start = offset + BLOCK;
    if (start + size > bytes.length) {
      throw new TarFormatError(`tar: entry "${name}" is truncated: its header says ${size} bytes, the archive holds ${Math.max(0, bytes.length - start)} of them`);
    }
    const data = bytes.subarray(start, start + size);
    offset = start + padded(size);
    switch (type) {
      case 'x':
        pax = parsePax(data, name);
        continue;
      case 'g':
        globalPax = { ...globalPax, ...parsePax(data, name) };
        continue;
      case 'L': {
        const end = data.indexOf(0);
        longName = decoder.decode(end < 0 ? data : data.subarray(0, end));
        continue;
      }
      case 'K':
        continue; // GNU long link name: links are refused below anyway
    }
    longName = undefined;
    pax = {};
    while (name.startsWith('./')) name = name.slice(2);
    if (type === '5' || name === '' || name === '.') {
      previous = name || '.';
      continue; // folders are implied by the file paths
    }
    if (type !== '0' && type !== '\0' && type !== '7') {
      throw new TarFormatError(`tar: entry "${name}" is not a regular file (type "${type}"); only files are supported`);
    }
    if (name.endsWith('/')) throw new TarFormatError(`tar: entry "${name}" is a regular file whose name ends in "/"`);
    checkRelativePath(name, 'tar');
    if (Object.prototype.hasOwnProperty.call(files, name)) throw new TarFormatError(`tar: entry "${name}" appears twice`);
    files[name] = data.slice();
    previous = name;
  }
  return files;
}
