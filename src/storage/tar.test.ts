import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarPack, tarUnpack, TarFormatError } from './tar';
import type { FileMap } from './checkpoint-files';

const enc = new TextEncoder();
const LONG_DIR = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
const LONG_NAME = `${LONG_DIR}/${'f'.repeat(90)}.bin`; // 215 bytes: needs the ustar prefix field

function sample(): FileMap {
  const binary = new Uint8Array(1300);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 37 + 11) & 0xff;
  return {
    'run.json': enc.encode('{"format":"archer-lab/run@1"}\n'),
    'empty.jsonl': new Uint8Array(0),
    'checkpoint/actor/weights.bin': binary,
    'checkpoint/exactly-512.bin': new Uint8Array(512).fill(7),
    'dir/ünïcode – name.txt': enc.encode('héllo'),
    [LONG_NAME]: enc.encode('long'),
  };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'archer-tar-'));
}

function tar(args: string[], cwd?: string): string {
  return execFileSync('tar', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
}

describe('tarPack', () => {
  it('writes 512-byte blocks, is deterministic, and round-trips through tarUnpack', () => {
    const files = sample();
    const a = tarPack(files);
    expect(a.length % 512).toBe(0);
    expect(Array.from(a.subarray(a.length - 1024)).every((b) => b === 0)).toBe(true);
    expect(tarPack(sample())).toEqual(a);
    const back = tarUnpack(a);
    expect(Object.keys(back)).toEqual(Object.keys(files));
    for (const [k, v] of Object.entries(files)) expect(back[k], k).toEqual(v);
    // ustar magic, mtime 0, regular file
    expect(new TextDecoder().decode(a.subarray(257, 263))).toBe('ustar\0');
    expect(new TextDecoder().decode(a.subarray(136, 147))).toBe('00000000000');
    expect(a[156]).toBe(0x30);
  });

  it('is read by GNU tar: names, sizes and contents', () => {
    const dir = tmp();
    const files = sample();
    writeFileSync(join(dir, 'a.tar'), tarPack(files));
    const listing = tar(['-tvf', 'a.tar'], dir);
    expect(listing).not.toMatch(/warning|error/i);
    for (const [name, data] of Object.entries(files)) {
      const line = listing.split('\n').find((l) => l.endsWith(` ${name}`));
      expect(line, name).toBeDefined();
      expect(line).toMatch(/^-rw-r--r-- 0\/0/);
      expect(line).toContain(` ${data.length} 1970-01-01`);
    }
    mkdirSync(join(dir, 'out'));
    tar(['-xf', '../a.tar'], join(dir, 'out'));
    for (const [name, data] of Object.entries(files)) expect(new Uint8Array(readFileSync(join(dir, 'out', name))), name).toEqual(data);
  });

  it('refuses unsafe or unrepresentable names', () => {
    expect(() => tarPack({ '../evil': new Uint8Array(1) })).toThrow(TarFormatError);
    expect(() => tarPack({ '/etc/passwd': new Uint8Array(1) })).toThrow(/absolute/);
    expect(() => tarPack({ [`${'x'.repeat(101)}`]: new Uint8Array(1) })).toThrow(/too long/);
    expect(() => tarPack({ [`${'p'.repeat(156)}/a`]: new Uint8Array(1) })).toThrow(/too long/);
  });
});

describe('tarUnpack', () => {
  for (const format of ['gnu', 'ustar', 'pax'] as const) {
    it(`reads what GNU tar writes (--format=${format}), folders implied, "./" dropped`, () => {
      const dir = tmp();
      const src = join(dir, 'src');
      const files = sample();
      for (const [name, data] of Object.entries(files)) {
        mkdirSync(join(src, name, '..'), { recursive: true });
        writeFileSync(join(src, name), data);
      }
      tar(['-cf', '../a.tar', `--format=${format}`, '.'], src);
      const back = tarUnpack(new Uint8Array(readFileSync(join(dir, 'a.tar'))));
      expect(Object.keys(back).sort()).toEqual(Object.keys(files).sort());
      for (const [k, v] of Object.entries(files)) expect(back[k], k).toEqual(v);
    });
  }

  it('reads a GNU long name (over 255 bytes, written as a ././@LongLink entry)', () => {
    const dir = tmp();
    const name = `${'a'.repeat(120)}/${'b'.repeat(120)}/${'c'.repeat(120)}.txt`;
    mkdirSync(join(dir, 'src', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'src', name), 'deep');
    tar(['-cf', '../a.tar', name], join(dir, 'src'));
    expect(tarUnpack(new Uint8Array(readFileSync(join(dir, 'a.tar'))))).toEqual({ [name]: enc.encode('deep') });
  });

  it('says "not a tar archive" for anything else', () => {
    expect(() => tarUnpack(enc.encode('{"format":"archer-lab/run@1"}'))).toThrow(/^not a tar archive/);
    const noise = new Uint8Array(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    expect(() => tarUnpack(noise)).toThrow(/^not a tar archive/);
    const zip = new Uint8Array(2048);
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    expect(() => tarUnpack(zip)).toThrow(TarFormatError);
  });

  it('names the entry of a truncated archive', () => {
    const a = tarPack(sample());
    // run.json: header 0..512, data 512..1024; empty.jsonl: header; weights.bin: header at 1536, 1300 bytes of data
    expect(() => tarUnpack(a.subarray(0, 1536 + 512 + 700))).toThrow(/entry "checkpoint\/actor\/weights\.bin" is truncated: its header says 1300 bytes, the archive holds 700/);
    expect(() => tarUnpack(a.subarray(0, a.length - 1024))).toThrow(/ends after entry ".*\.bin" without its end-of-archive blocks/);
  });

  it('detects a corrupt header by its checksum', () => {
    const a = tarPack(sample());
    const bad = a.slice();
    bad[1024 + 3] = bad[1024 + 3]! ^ 0x20; // a name byte of the second header
    expect(() => tarUnpack(bad)).toThrow(/corrupt header after entry "run\.json" \(header checksum/);
    const first = a.slice();
    first[0] = first[0]! ^ 1;
    expect(() => tarUnpack(first)).toThrow(/^not a tar archive \(header checksum/);
  });

  it('refuses entries that would escape the folder, links and duplicates', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'x'), 'x');
    tar(['-cf', '../evil.tar', '-P', '--transform', 's,^,../,', 'x'], join(dir, 'src'));
    expect(() => tarUnpack(new Uint8Array(readFileSync(join(dir, 'evil.tar'))))).toThrow(/"\.\.\/x" is not a plain relative path/);
    execFileSync('ln', ['-s', 'x', join(dir, 'src', 'link')]);
    tar(['-cf', '../link.tar', 'link'], join(dir, 'src'));
    expect(() => tarUnpack(new Uint8Array(readFileSync(join(dir, 'link.tar'))))).toThrow(/entry "link" is not a regular file/);
    const one = tarPack({ a: enc.encode('1') });
    const twice = new Uint8Array(one.length * 2 - 1024);
    twice.set(one.subarray(0, one.length - 1024));
    twice.set(one, one.length - 1024);
    expect(() => tarUnpack(twice)).toThrow(/entry "a" appears twice/);
  });

  it('an empty archive is an empty map', () => {
    expect(tarUnpack(tarPack({}))).toEqual({});
  });
});
