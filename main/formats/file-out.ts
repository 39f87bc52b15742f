// Writing a file so that it is either whole or absent: to a temporary file beside the target, flushed
// to the disk, renamed into place, and the folder flushed so the rename itself survives a power cut.
// Every export, workbook, backup and restore goes through atomicWrite; streams keep backpressure so a
// million lines never sit in memory.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

export interface LineWriter {
  write(text: string): Promise<void>;
}

function fsyncPath(p: string, flags: string): void {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The folder's entry for the renamed file reaches the disk (POSIX; Windows cannot open a folder, and needs not). */
function fsyncFolder(file: string): void {
  try {
    fsyncPath(path.dirname(path.resolve(file)), 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw e;
  }
}

/**
 * `produce` writes the whole file at the temporary path it is given; then it is flushed, renamed over
 * `target` and the folder flushed. On any failure the temporary file is removed and `target` is untouched.
 */
export async function atomicWrite(
  target: string,
  produce: (tmp: string) => Promise<void> | void,
  tmp = `${target}.partial-${process.pid}`,
): Promise<{ path: string; bytes: number }> {
  try {
    await produce(tmp);
    fsyncPath(tmp, 'r+');
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncFolder(target);
  return { path: target, bytes: fs.statSync(target).size };
}

/** Text produced line by line, with backpressure. */
export async function writeAtomically(
  target: string,
  produce: (out: LineWriter) => Promise<void>,
): Promise<{ path: string; bytes: number }> {
  return atomicWrite(target, async (tmp) => {
    const stream = fs.createWriteStream(tmp, { encoding: 'utf8' });
    let failed: unknown = null;
    stream.on('error', (e) => (failed ??= e)); // a full disk fails the next write, not the process
    const out: LineWriter = {
      async write(text) {
        if (failed) throw failed;
        if (!stream.write(text)) await once(stream, 'drain');
      },
    };
    try {
      await produce(out);
      stream.end();
      await once(stream, 'finish');
      if (failed) throw failed;
    } catch (e) {
      // Closed before atomicWrite removes the temporary file, so no late open or write recreates it.
      if (!stream.closed) {
        stream.destroy();
        await once(stream, 'close');
      }
      throw e;
    }
  });
}

/** Bytes made whole in memory (a PDF). */
export function writeBytesAtomically(target: string, bytes: Uint8Array): Promise<{ path: string; bytes: number }> {
  return atomicWrite(target, (tmp) => fs.writeFileSync(tmp, bytes));
}

/** A written file's SHA-256 (hex), read a chunk at a time: a workbook of many MB is never held whole. */
export function fileSha256(file: string): string {
  const hash = crypto.createHash('sha256');
  const chunk = Buffer.allocUnsafe(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
