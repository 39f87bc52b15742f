// One way to write a file whole or not at all (formats/file-out.ts): exports, workbooks, backups and the
// restore all use it. A failure leaves the old file as it was and no temporary file behind; a success
// flushes the file before the rename and the folder after it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import crypto from 'node:crypto';
import { atomicWrite, fileSha256, writeAtomically, writeBytesAtomically } from '../../main/formats/file-out';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-atomic-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('atomicWrite', () => {
  it('replaces the target only once the new file is whole and on the disk, then flushes the folder', async () => {
    const target = path.join(dir, 'report.xlsx');
    fs.writeFileSync(target, 'old');
    const order: string[] = [];
    const fsync = vi.spyOn(fs, 'fsyncSync').mockImplementation(() => void order.push('fsync'));
    const rename = vi.spyOn(fs, 'renameSync');
    rename.mockImplementation((from, to) => {
      order.push('rename');
      rename.mockRestore();
      fs.renameSync(from, to);
    });
    const out = await atomicWrite(target, (tmp) => fs.writeFileSync(tmp, 'new contents'));
    expect(out).toEqual({ path: target, bytes: 12 });
    expect(fs.readFileSync(target, 'utf8')).toBe('new contents');
    expect(order).toEqual(['fsync', 'rename', 'fsync']);
    expect(fsync).toHaveBeenCalledTimes(2);
    expect(fs.readdirSync(dir)).toEqual(['report.xlsx']);
  });

  it('leaves the old file untouched and no temporary file when producing fails midway', async () => {
    const target = path.join(dir, 'journal.txt');
    fs.writeFileSync(target, 'the books as they were');
    await expect(
      writeAtomically(target, async (out) => {
        await out.write('first line\n');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(fs.readFileSync(target, 'utf8')).toBe('the books as they were');
    expect(fs.readdirSync(dir)).toEqual(['journal.txt']);
  });

  it('writes lines and bytes whole', async () => {
    const lines = path.join(dir, 'a.journal');
    await writeAtomically(lines, async (out) => {
      for (let i = 0; i < 3; i++) await out.write(`line ${i}\n`);
    });
    expect(fs.readFileSync(lines, 'utf8')).toBe('line 0\nline 1\nline 2\n');
    const pdf = path.join(dir, 'b.pdf');
    expect(await writeBytesAtomically(pdf, Buffer.from('%PDF-1.7'))).toEqual({ path: pdf, bytes: 8 });
  });
});

describe('fileSha256', () => {
  it('is the SHA-256 of the whole file, read across its chunks (the digest an export records)', () => {
    const file = path.join(dir, 'big.xlsx');
    const bytes = crypto.randomBytes((1 << 20) * 2 + 12_345); // three reads, the last a short one
    fs.writeFileSync(file, bytes);
    expect(fileSha256(file)).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    fs.writeFileSync(file, '');
    expect(fileSha256(file)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
