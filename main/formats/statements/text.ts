// Bytes → text. UTF-8 (with or without BOM) when the bytes are valid UTF-8, UTF-16 when a BOM says
// so, otherwise GB18030 (a superset of GBK and GB2312), which is what Chinese online banking exports.
import iconv from 'iconv-lite';
import { fail } from './types';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function lineOf(bytes: Buffer, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

export function decodeText(bytes: Buffer, fallback: 'gb18030' | 'windows-1252' = 'gb18030'): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const nul = bytes.indexOf(0);
  if (nul >= 0) fail('bad_encoding', 'stmt_nul_bytes', {}, lineOf(bytes, nul));
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: utf8.decode(bom ? bytes.subarray(3) : bytes), encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    // UTF-8 that is valid up to a character cut at the very end: the file was cut off there
    const at = firstInvalidUtf8(bytes);
    if (at > 0 && cutUtf8At(bytes, at)) fail('truncated', 'stmt_cut_character', {}, lineOf(bytes, at));
    if (bom) fail('bad_encoding', 'stmt_bad_bom', {});
  }
  const text = iconv.decode(bytes, fallback);
  // GBK whose last character lost its second byte: cut off, on the last line
  if (text.endsWith('\uFFFD') && text.indexOf('\uFFFD') === text.length - 1)
    fail('truncated', 'stmt_cut_character', {}, text.split('\n').length);
  if (text.includes('\uFFFD')) {
    // Most such files are UTF-8 with a damaged byte, so the line of the first bad UTF-8 byte is the useful one.
    const at = firstInvalidUtf8(bytes);
    const line = lineOf(bytes, at);
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    fail(
      'bad_encoding',
      'stmt_encoding',
      { byte, line: String(line), fallback: fallback === 'gb18030' ? 'GBK/GB18030' : 'Windows-1252' },
      line,
    );
  }
  return { text, encoding: fallback };
}

/** The bytes from `at` are the start of a multi-byte UTF-8 character that the end of the file cut short. */
function cutUtf8At(b: Buffer, at: number): boolean {
  const c = b[at] as number;
  const n = c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
  if (n < 0 || b.length - at - 1 >= n) return false;
  for (let k = at + 1; k < b.length; k++) if (((b[k] as number) & 0xc0) !== 0x80) return false;
  return true;
}

function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length;) {
    const c = b[i] as number;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}

/** Text whose encoding the file itself names (OFX headers, XML declarations). */
export function decodeNamed(bytes: Buffer, name: string): DecodedText | null {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n === 'utf8' || n === 'unicode') return decodeText(bytes);
  if (n === '1252' || n === 'windows1252' || n === 'cp1252' || n === 'usascii' || n === 'iso88591' || n === 'latin1' || n === 'none') {
    return { text: iconv.decode(bytes, 'windows-1252'), encoding: 'windows-1252' };
  }
  if (n === 'gbk' || n === 'gb2312' || n === 'gb18030' || n === '936') return decodeText(bytes, 'gb18030');
  return null;
}
