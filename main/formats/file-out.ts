// Writing an export: to a temporary file beside the target, renamed into place only when complete,
// with backpressure so a million lines never sit in memory.
import fs from 'node:fs';
import { once } from 'node:events';

export interface LineWriter {
  write(text: string): Promise<void>;
}

export async function writeAtomically(
  target: string,
  produce: (out: LineWriter) => Promise<void>,
): Promise<{ path: string; bytes: number }> {
  const tmp = `${target}.partial-${process.pid}`;
  const stream = fs.createWriteStream(tmp, { encoding: 'utf8' });
  const out: LineWriter = {
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
  };
  try {
    await produce(out);
    stream.end();
    await once(stream, 'finish');
    fs.renameSync(tmp, target);
  } catch (e) {
    stream.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { path: target, bytes: fs.statSync(target).size };
}

/** Bytes made whole in memory (a PDF) written the same way: beside the target, renamed into place. */
export function writeBytesAtomically(target: string, bytes: Uint8Array): { path: string; bytes: number } {
  const tmp = `${target}.partial-${process.pid}`;
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { path: target, bytes: bytes.length };
}
