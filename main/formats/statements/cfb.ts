// The OLE2 / Compound File Binary container of an old .xls ([MS-CFB]): a little FAT file system in one
// file. Only what reading one stream needs: the header, the FAT (through the DIFAT), the directory,
// sector chains and the mini stream. Every sector number is checked against the file, every chain
// against loops and against the size its directory entry declares, so a crafted file fails with a
// named reason instead of looping or reading past the end.
import { fail } from './types';

export const CFB_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

const MAX_REGULAR = 0xfffffffa;
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const HEADER_DIFAT = 109;
const NOSTREAM = 0xffffffff;

export interface CfbEntry {
  name: string;
  type: 'storage' | 'stream' | 'root';
  start: number;
  size: number;
}

function corrupt(what: string): never {
  fail('unreadable', 'stmt_xls_file_damaged', { detail: what });
}

export interface Cfb {
  /** the streams and storages directly under the root, by name */
  entries: CfbEntry[];
  read(entry: CfbEntry): Buffer;
}

export function openCfb(b: Buffer): Cfb {
  if (b.length < 512) fail('truncated', 'stmt_xls_short', { bytes: String(b.length) });
  if (!b.subarray(0, 8).equals(CFB_SIGNATURE)) fail('wrong_format', 'stmt_not_ole2', {});
  if (b.readUInt16LE(0x1c) !== 0xfffe) corrupt('bad byte-order mark in the header');
  const major = b.readUInt16LE(0x1a);
  const shift = b.readUInt16LE(0x1e);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12)))
    corrupt(`unknown container version ${major} with sector shift ${shift}`);
  const miniShift = b.readUInt16LE(0x20);
  if (miniShift !== 6) corrupt(`mini sector shift ${miniShift} (must be 6)`);
  const size = 1 << shift;
  const miniSize = 1 << miniShift;
  const sectorCount = Math.floor((b.length - size) / size) + (b.length > size && (b.length - size) % size ? 1 : 0);
  const cutoff = b.readUInt32LE(0x38);
  if (cutoff !== 4096) corrupt(`mini stream cutoff ${cutoff} (must be 4096)`);

  const sector = (n: number, what: string): Buffer => {
    if (n > MAX_REGULAR) corrupt(`${what} refers to special sector 0x${n.toString(16)}`);
    if (n >= sectorCount) fail('truncated', 'stmt_xls_sector', { what, sector: String(n), count: String(sectorCount) });
    const start = (n + 1) * size;
    if (start + size > b.length) fail('truncated', 'stmt_xls_in_sector', { sector: String(n), what });
    return b.subarray(start, start + size);
  };

  // FAT sectors: 109 in the header, the rest in the DIFAT chain
  const fatCount = b.readUInt32LE(0x2c);
  if (fatCount > sectorCount) corrupt(`the header declares ${fatCount} FAT sectors in a file of ${sectorCount} sectors`);
  const fatSectors: number[] = [];
  for (let i = 0; i < HEADER_DIFAT && fatSectors.length < fatCount; i++) fatSectors.push(b.readUInt32LE(0x4c + i * 4));
  let difat = b.readUInt32LE(0x44);
  const difatCount = b.readUInt32LE(0x48);
  const perDifat = size / 4 - 1;
  const seenDifat = new Set<number>();
  while (fatSectors.length < fatCount) {
    if (difat === ENDOFCHAIN || difat === FREESECT) corrupt(`the DIFAT ends after ${fatSectors.length} of ${fatCount} FAT sectors`);
    if (seenDifat.has(difat) || seenDifat.size >= difatCount) corrupt('the DIFAT chain loops or is longer than declared');
    seenDifat.add(difat);
    const s = sector(difat, 'the DIFAT');
    for (let i = 0; i < perDifat && fatSectors.length < fatCount; i++) fatSectors.push(s.readUInt32LE(i * 4));
    difat = s.readUInt32LE(perDifat * 4);
  }
  if (new Set(fatSectors).size !== fatSectors.length) corrupt('a FAT sector is listed twice');
  const fat = new Uint32Array(fatSectors.length * (size / 4));
  fatSectors.forEach((n, i) => {
    const s = sector(n, `FAT sector ${i}`);
    for (let j = 0; j < size / 4; j++) fat[i * (size / 4) + j] = s.readUInt32LE(j * 4);
  });

  /** The sectors of a chain, refusing loops, out-of-range links and chains that end too early or run on. */
  const chain = (table: Uint32Array, start: number, limit: number, what: string): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    let n = start;
    while (n !== ENDOFCHAIN) {
      if (n > MAX_REGULAR) corrupt(`the chain of ${what} holds the special value 0x${n.toString(16)}`);
      if (n >= table.length || n >= limit) corrupt(`the chain of ${what} points to sector ${n}, outside the file`);
      if (seen.has(n)) corrupt(`the chain of ${what} loops back to sector ${n}`);
      seen.add(n);
      out.push(n);
      n = table[n] as number;
    }
    return out;
  };

  const readChain = (start: number, what: string, expected: number | null): Buffer => {
    const sectors = start === ENDOFCHAIN ? [] : chain(fat, start, sectorCount, what);
    if (expected !== null && sectors.length * size < expected)
      corrupt(`${what} declares ${expected} bytes but its chain holds ${sectors.length * size}`);
    if (expected !== null && sectors.length > Math.ceil(expected / size))
      corrupt(`the chain of ${what} runs past the ${expected} bytes it declares`);
    const data = Buffer.concat(sectors.map((n) => sector(n, what)));
    return expected === null ? data : data.subarray(0, expected);
  };

  const dir = readChain(b.readUInt32LE(0x30), 'the directory', null);
  const entryAt = (i: number) => {
    if (i * 128 + 128 > dir.length) corrupt(`directory entry ${i} is outside the directory`);
    const e = dir.subarray(i * 128, i * 128 + 128);
    const nameLen = e.readUInt16LE(0x40);
    if (nameLen > 64 || nameLen % 2) corrupt(`directory entry ${i} has a bad name length`);
    const type = e[0x42];
    const sizeLow = e.readUInt32LE(0x78);
    const sizeHigh = e.readUInt32LE(0x7c);
    if (major === 4 && sizeHigh !== 0) corrupt(`directory entry ${i} declares a stream over 4 GiB`);
    return {
      name: e.toString('utf16le', 0, Math.max(0, nameLen - 2)),
      type: (type === 5 ? 'root' : type === 1 ? 'storage' : type === 2 ? 'stream' : null) as CfbEntry['type'] | null,
      left: e.readUInt32LE(0x44),
      right: e.readUInt32LE(0x48),
      child: e.readUInt32LE(0x4c),
      start: e.readUInt32LE(0x74),
      size: sizeLow,
    };
  };
  const root = entryAt(0);
  if (root.type !== 'root') corrupt('the first directory entry is not the root');

  // the root's children form a red-black tree; walked with a visited set so a cyclic tree cannot loop
  const entries: CfbEntry[] = [];
  const visited = new Set<number>();
  const stack = [root.child];
  while (stack.length) {
    const i = stack.pop() as number;
    if (i === NOSTREAM) continue;
    if (visited.has(i)) corrupt('the directory tree loops');
    visited.add(i);
    const e = entryAt(i);
    if (e.type === null || e.type === 'root') corrupt(`directory entry ${i} has a bad type`);
    if (e.type === 'stream' && e.size > b.length) corrupt(`stream ${e.name} declares ${e.size} bytes, more than the file holds`);
    entries.push({ name: e.name, type: e.type, start: e.start, size: e.type === 'stream' ? e.size : 0 });
    stack.push(e.left, e.right);
  }

  let mini: { fat: Uint32Array; stream: Buffer } | null = null;
  const miniStream = () => {
    if (mini) return mini;
    const miniFatCount = b.readUInt32LE(0x40);
    const miniFatBytes = readChain(b.readUInt32LE(0x3c), 'the mini FAT', null);
    if (miniFatBytes.length < miniFatCount * size) corrupt('the mini FAT is shorter than declared');
    const table = new Uint32Array(miniFatBytes.length / 4);
    for (let j = 0; j < table.length; j++) table[j] = miniFatBytes.readUInt32LE(j * 4);
    mini = { fat: table, stream: readChain(root.start, 'the mini stream', root.size) };
    return mini;
  };

  return {
    entries,
    read(entry: CfbEntry): Buffer {
      if (entry.type !== 'stream') corrupt(`${entry.name} is not a stream`);
      if (entry.size === 0) return Buffer.alloc(0);
      if (entry.size >= cutoff) return readChain(entry.start, `stream ${entry.name}`, entry.size);
      const m = miniStream();
      const count = Math.floor(m.stream.length / miniSize);
      const sectors = chain(m.fat, entry.start, count, `stream ${entry.name} (mini stream)`);
      if (sectors.length * miniSize < entry.size || sectors.length > Math.ceil(entry.size / miniSize))
        corrupt(`stream ${entry.name} declares ${entry.size} bytes but its mini chain holds ${sectors.length * miniSize}`);
      return Buffer.concat(sectors.map((n) => m.stream.subarray(n * miniSize, (n + 1) * miniSize))).subarray(0, entry.size);
    },
  };
}
