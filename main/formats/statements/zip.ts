// An uploaded workbook is a zip: its central directory is checked before anything inflates it. Each
// entry's local header must agree with the directory and the entries must tile the file, because the
// streaming reader walks local headers, not the directory; then each entry is inflated once with a
// hard output cap, so a directory that lies about sizes is caught too. What that inflated is what the
// reader gets (`storedZip`: the same entries, stored), so no entry is inflated a second time.
import { inflateRawSync, type ZlibOptions } from 'node:zlib';
import { checkWorkbookSize, fail, type Limits } from './types';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
}

/** What inflates a deflated entry (node's inflateRawSync; a test passes one that counts). */
export type Inflate = (data: Buffer, options: ZlibOptions) => Buffer;

/** An entry that passed the checks, with its content inflated. */
export interface CheckedEntry extends ZipEntry {
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
// Small entries compress well without being bombs (a 20 KB styles.xml at 150:1 is harmless).
const RATIO_FLOOR = 1024 * 1024;

function bomb(what: string): never {
  fail('zip_bomb', 'stmt_zip_refused', { detail: what }, null, null);
}

function findEocd(b: Buffer): number {
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) if (b.readUInt32LE(i) === EOCD) return i;
  return -1;
}

export function checkZip(b: Buffer, limits: Limits, inflate: Inflate = inflateRawSync): CheckedEntry[] {
  checkWorkbookSize(b, limits);
  const eocd = findEocd(b);
  if (eocd < 0) fail('unreadable', 'stmt_zip_incomplete', {});
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (b.readUInt16LE(eocd + 4) !== 0 || count !== b.readUInt16LE(eocd + 8)) fail('unsupported', 'stmt_zip_multipart', {});
  if (count === 0xffff || cdOffset === 0xffffffff) fail('unsupported', 'stmt_zip64', {});
  if (cdOffset + cdSize > eocd) fail('unreadable', 'stmt_zip_directory_outside', {});
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || b.readUInt32LE(p) !== CENTRAL) fail('unreadable', 'stmt_zip_directory_corrupt', {});
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const compressedSize = b.readUInt32LE(p + 20);
    const uncompressedSize = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const name = b.toString('utf8', p + 46, p + 46 + nameLen);
    const entry: ZipEntry = {
      name,
      method,
      flags,
      crc32: b.readUInt32LE(p + 16),
      compressedSize,
      uncompressedSize,
      offset: b.readUInt32LE(p + 42),
    };
    if (flags & 1) fail('unsupported', 'stmt_zip_encrypted', { name });
    if (method !== 0 && method !== 8) fail('unsupported', 'stmt_zip_method', { name, method: String(method) });
    if (uncompressedSize > limits.maxUncompressedBytes) bomb(`${name} would inflate to ${uncompressedSize} bytes`);
    if (uncompressedSize >= RATIO_FLOOR && uncompressedSize > compressedSize * limits.maxRatio) {
      bomb(`${name} inflates ${compressedSize} → ${uncompressedSize} bytes, more than ${limits.maxRatio}:1`);
    }
    total += uncompressedSize;
    entries.push(entry);
    p += 46 + nameLen + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  if (total > limits.maxUncompressedBytes) bomb(`its entries would inflate to ${total} bytes, more than ${limits.maxUncompressedBytes}`);
  if (total >= RATIO_FLOOR && total > b.length * limits.maxRatio)
    bomb(`it inflates ${b.length} → ${total} bytes overall, more than ${limits.maxRatio}:1`);
  checkLayout(b, entries, cdOffset);
  return entries.map((e) => ({ ...e, data: verifiedInflate(b, e, inflate) }));
}

function dataStart(b: Buffer, e: ZipEntry): { start: number; descriptor: boolean } {
  const o = e.offset;
  if (o + 30 > b.length || b.readUInt32LE(o) !== LOCAL) fail('unreadable', 'stmt_zip_no_local', { name: e.name });
  const flags = b.readUInt16LE(o + 6);
  const nameLen = b.readUInt16LE(o + 26);
  const name = b.toString('utf8', o + 30, o + 30 + nameLen);
  const descriptor = (flags & 8) !== 0;
  const sizesAgree = descriptor || (b.readUInt32LE(o + 18) === e.compressedSize && b.readUInt32LE(o + 22) === e.uncompressedSize);
  if (name !== e.name || b.readUInt16LE(o + 8) !== e.method || !sizesAgree)
    bomb(`the local header of ${e.name} disagrees with the central directory`);
  return { start: o + 30 + nameLen + b.readUInt16LE(o + 28), descriptor };
}

function checkLayout(b: Buffer, entries: ZipEntry[], cdOffset: number): void {
  let expected = 0;
  for (const e of [...entries].sort((x, y) => x.offset - y.offset)) {
    if (e.offset !== expected) bomb(`zip entries overlap or hide data before ${e.name}`);
    const { start, descriptor } = dataStart(b, e);
    let end = start + e.compressedSize;
    if (descriptor) end += end + 4 <= b.length && b.readUInt32LE(end) === DESCRIPTOR ? 16 : 12;
    expected = end;
  }
  if (expected !== cdOffset) bomb('data between the last zip entry and the central directory');
}

function verifiedInflate(b: Buffer, e: ZipEntry, inflate: Inflate): Buffer {
  const { start } = dataStart(b, e);
  let data = b.subarray(start, start + e.compressedSize);
  if (e.method === 8) {
    try {
      data = inflate(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        bomb(`${e.name} inflates beyond the ${e.uncompressedSize} bytes its directory entry declares`);
      fail('unreadable', 'stmt_zip_inflate', { name: e.name });
    }
  }
  if (data.length !== e.uncompressedSize)
    bomb(`${e.name} inflates to ${data.length} bytes, its directory entry says ${e.uncompressedSize}`);
  return data;
}

// The parts a workbook's sheets need, put before everything else, so a streaming reader reads each
// sheet as it comes. exceljs's parks a sheet met before the shared strings in a temporary file, and fed
// stored entries with xl/workbook.xml last (as exceljs itself writes them) it ended without reading
// that part ("Cannot read properties of undefined (reading 'sheets')").
const FIRST = [
  '[Content_Types].xml',
  '_rels/.rels',
  'xl/workbook.xml',
  'xl/_rels/workbook.xml.rels',
  'xl/sharedStrings.xml',
  'xl/styles.xml',
];
const rank = (name: string) => {
  const i = FIRST.indexOf(name);
  return i < 0 ? FIRST.length : i;
};

/**
 * The checked entries as a zip of stored (uncompressed) entries, the workbook's own parts first and
 * the rest in the order of the original file (a streaming reader walks local headers): chunk by
 * chunk, so the content is not copied again.
 */
export function* storedZip(entries: readonly CheckedEntry[]): Generator<Buffer> {
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of [...entries].sort((x, y) => rank(x.name) - rank(y.name) || x.offset - y.offset)) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    storedFields(local, 4, e, name.length);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4); // version made by
    storedFields(central, 6, e, name.length);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    yield local;
    yield name;
    if (e.data.length) yield e.data;
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield directory;
  yield end;
}

/**
 * The fields a local header and a central directory entry share, from `at` on: version needed, flags,
 * method (stored), time and date (none), CRC-32, both sizes and the name's length. Of the flags only
 * bit 11 (UTF-8 names) is kept: a stored entry's sizes are in its header, so it has no data descriptor.
 */
function storedFields(b: Buffer, at: number, e: CheckedEntry, nameLength: number): void {
  b.writeUInt16LE(20, at);
  b.writeUInt16LE(e.flags & 0x0800, at + 2);
  b.writeUInt16LE(0, at + 4);
  b.writeUInt32LE(e.crc32, at + 10);
  b.writeUInt32LE(e.data.length, at + 14);
  b.writeUInt32LE(e.data.length, at + 18);
  b.writeUInt16LE(nameLength, at + 22);
}
