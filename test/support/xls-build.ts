// A tiny BIFF8 + compound-file writer for tests: builds .xls workbooks with exactly the records a case
// needs (split shared strings, formulas, mini-stream storage, a FAT that loops …). The committed
// fixtures come from an independent writer (scripts/make-xls-fixtures.py); this covers what xlwt
// never writes.

export function rec(type: number, body: Buffer | number[] = []): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const h = Buffer.alloc(4);
  h.writeUInt16LE(type, 0);
  h.writeUInt16LE(b.length, 2);
  return Buffer.concat([h, b]);
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** XLUnicodeString: 16-bit count, flags, characters (UTF-16 when `wide`). */
export function str16(s: string, wide = [...s].some((c) => c.charCodeAt(0) > 0xff)): Buffer {
  return Buffer.concat([u16(s.length), Buffer.from([wide ? 1 : 0]), Buffer.from(s, wide ? 'utf16le' : 'latin1')]);
}

export const bof = (kind: 'globals' | 'sheet', version = 0x0600) =>
  rec(0x0809, [...u16(version), ...u16(kind === 'globals' ? 5 : 0x10), ...Buffer.alloc(12)]);
export const eof = () => rec(0x000a);
export const cellHead = (row: number, col: number, xf: number) => Buffer.concat([u16(row), u16(col), u16(xf)]);
export const labelSst = (row: number, col: number, k: number, xf = 0) => rec(0x00fd, Buffer.concat([cellHead(row, col, xf), u32(k)]));
export const label = (row: number, col: number, s: string, xf = 0) => rec(0x0204, Buffer.concat([cellHead(row, col, xf), str16(s)]));
export function number(row: number, col: number, v: number, xf = 0): Buffer {
  const d = Buffer.alloc(8);
  d.writeDoubleLE(v);
  return rec(0x0203, Buffer.concat([cellHead(row, col, xf), d]));
}
/** RK of a 30-bit integer, divided by 100 when `div100`. */
export const rkInt = (n: number, div100 = false) => ((n << 2) | 2 | (div100 ? 1 : 0)) >>> 0;
export const rk = (row: number, col: number, v: number, xf = 0) => rec(0x027e, Buffer.concat([cellHead(row, col, xf), u32(v)]));
export const mulrk = (row: number, first: number, cells: { xf: number; rk: number }[]) =>
  rec(
    0x00bd,
    Buffer.concat([u16(row), u16(first), ...cells.map((c) => Buffer.concat([u16(c.xf), u32(c.rk)])), u16(first + cells.length - 1)]),
  );
/** A FORMULA record with a cached result (a number, or a string/bool/error/empty marker) and a dummy formula. */
export function formula(
  row: number,
  col: number,
  result: number | { str: true } | { bool: boolean } | { err: number } | { empty: true },
  xf = 0,
): Buffer {
  const r = Buffer.alloc(8);
  if (typeof result === 'number') r.writeDoubleLE(result);
  else {
    r.writeUInt16LE(0xffff, 6);
    if ('str' in result) r[0] = 0;
    else if ('bool' in result) [r[0], r[2]] = [1, result.bool ? 1 : 0];
    else if ('err' in result) [r[0], r[2]] = [2, result.err];
    else r[0] = 3;
  }
  return rec(0x0006, Buffer.concat([cellHead(row, col, xf), r, u16(0), u32(0), u16(3), Buffer.from([0x1e, 0x01, 0x00])]));
}
export const stringRec = (s: string) => rec(0x0207, str16(s));
export const boolerr = (row: number, col: number, v: number, isError: boolean) =>
  rec(0x0205, Buffer.concat([cellHead(row, col, 0), Buffer.from([v, isError ? 1 : 0])]));
export const format = (id: number, code: string) => rec(0x041e, Buffer.concat([u16(id), str16(code)]));
export const xf = (fmt: number) => rec(0x00e0, Buffer.concat([u16(0), u16(fmt), Buffer.alloc(16)]));
export const datemode = (is1904: boolean) => rec(0x0022, u16(is1904 ? 1 : 0));
export const filepass = () => rec(0x002f, [1, 0, 1, 0, 1, 0, ...Buffer.alloc(48)]);
/** An SST whose strings are given as raw bodies: [SST body, ...CONTINUE bodies]. */
export const sstParts = (parts: Buffer[]) => Buffer.concat([rec(0x00fc, parts[0] as Buffer), ...parts.slice(1).map((p) => rec(0x003c, p))]);
export const sst = (strings: string[]) =>
  sstParts([Buffer.concat([u32(strings.length), u32(strings.length), ...strings.map((s) => str16(s))])]);
export { u16, u32 };

/** Globals (BOF, the given records, a BOUNDSHEET per sheet, EOF) followed by each sheet's BOF … EOF. */
export function workbook(globals: Buffer[], sheets: { name: string; records: Buffer[]; kind?: number }[], version = 0x0600): Buffer {
  const boundsheet = (offset: number, name: string, kind = 0) =>
    rec(0x0085, Buffer.concat([u32(offset), Buffer.from([0, kind]), Buffer.from([name.length, 1]), Buffer.from(name, 'utf16le')]));
  const head = (offsets: number[]) =>
    Buffer.concat([bof('globals', version), ...globals, ...sheets.map((s, i) => boundsheet(offsets[i] ?? 0, s.name, s.kind)), eof()]);
  const bodies = sheets.map((s) => Buffer.concat([bof('sheet', version), ...s.records, eof()]));
  let at = head([]).length;
  const offsets = bodies.map((b) => {
    const o = at;
    at += b.length;
    return o;
  });
  return Buffer.concat([head(offsets), ...bodies]);
}

const END = 0xfffffffe;
const FREE = 0xffffffff;

/** A version 3 compound file (512-byte sectors) holding the streams under its root; small streams go to the mini stream. */
export function cfb(
  streams: { name: string; data: Buffer }[],
  opts: { mutateFat?: (fat: number[], starts: Map<string, number>) => void } = {},
): Buffer {
  const sectors: Buffer[] = [];
  const fat: number[] = [];
  const allocate = (data: Buffer): number => {
    if (data.length === 0) return END;
    const n = Math.ceil(data.length / 512);
    const start = sectors.length;
    for (let i = 0; i < n; i++) {
      const s = Buffer.alloc(512);
      data.copy(s, 0, i * 512, Math.min(data.length, (i + 1) * 512));
      sectors.push(s);
      fat.push(i === n - 1 ? END : start + i + 1);
    }
    return start;
  };
  const starts = new Map<string, number>();
  const mini: Buffer[] = [];
  const miniFat: number[] = [];
  for (const s of streams) {
    if (s.data.length >= 4096) starts.set(s.name, allocate(s.data));
    else {
      const n = Math.ceil(s.data.length / 64);
      const start = miniFat.length;
      for (let i = 0; i < n; i++) miniFat.push(i === n - 1 ? END : start + i + 1);
      const padded = Buffer.alloc(n * 64);
      s.data.copy(padded);
      mini.push(padded);
      starts.set(s.name, n ? start : END);
    }
  }
  const miniStream = Buffer.concat(mini);
  const miniStart = allocate(miniStream);
  const miniFatStart = miniFat.length ? allocate(Buffer.concat(miniFat.map(u32))) : END;
  const entry = (name: string, type: number, start: number, size: number, child = FREE, right = FREE) => {
    const e = Buffer.alloc(128);
    e.write(name, 0, 'utf16le');
    e.writeUInt16LE((name.length + 1) * 2, 0x40);
    e[0x42] = type;
    e[0x43] = 1;
    e.writeUInt32LE(FREE, 0x44);
    e.writeUInt32LE(right, 0x48);
    e.writeUInt32LE(child, 0x4c);
    e.writeUInt32LE(start, 0x74);
    e.writeUInt32LE(size, 0x78);
    return e;
  };
  const dir = [
    entry('Root Entry', 5, miniStream.length ? miniStart : END, miniStream.length, streams.length ? 1 : FREE),
    ...streams.map((s, i) => entry(s.name, 2, starts.get(s.name) as number, s.data.length, FREE, i + 2 <= streams.length ? i + 2 : FREE)),
  ];
  const dirStart = allocate(Buffer.concat(dir));
  let fatCount = 1;
  while ((sectors.length + fatCount) * 4 > fatCount * 512) fatCount++;
  const fatStart = sectors.length;
  for (let i = 0; i < fatCount; i++) {
    sectors.push(Buffer.alloc(512));
    fat.push(0xfffffffd);
  }
  opts.mutateFat?.(fat, starts);
  const fatBytes = Buffer.alloc(fatCount * 512, 0xff);
  fat.forEach((v, i) => fatBytes.writeUInt32LE(v >>> 0, i * 4));
  for (let i = 0; i < fatCount; i++) fatBytes.copy(sectors[fatStart + i] as Buffer, 0, i * 512, (i + 1) * 512);
  const h = Buffer.alloc(512, 0);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(h);
  h.writeUInt16LE(0x3e, 0x18);
  h.writeUInt16LE(3, 0x1a);
  h.writeUInt16LE(0xfffe, 0x1c);
  h.writeUInt16LE(9, 0x1e);
  h.writeUInt16LE(6, 0x20);
  h.writeUInt32LE(fatCount, 0x2c);
  h.writeUInt32LE(dirStart, 0x30);
  h.writeUInt32LE(4096, 0x38);
  h.writeUInt32LE(miniFatStart, 0x3c);
  h.writeUInt32LE(miniFat.length ? Math.ceil((miniFat.length * 4) / 512) : 0, 0x40);
  h.writeUInt32LE(END, 0x44);
  h.writeUInt32LE(0, 0x48);
  for (let i = 0; i < 109; i++) h.writeUInt32LE(i < fatCount ? fatStart + i : FREE, 0x4c + i * 4);
  return Buffer.concat([h, ...sectors]);
}

/** A one-sheet .xls holding `records`, with `globals` before the sheet list. */
export const xlsOf = (records: Buffer[], globals: Buffer[] = [], name = 'Sheet1') =>
  cfb([{ name: 'Workbook', data: workbook(globals, [{ name, records }]) }]);
