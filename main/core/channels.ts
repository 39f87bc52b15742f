// The channels the link travels on (core/link.ts). Electron's utility process hands its parent port to
// the core as `process.parentPort` (the shell holds the other end, main/shell/index.ts); tests and a
// plain Node core use child-process IPC with structured cloning.
import type { ChildProcess } from 'node:child_process';
import type { Channel } from './link';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** The core's end in an Electron utility process, or null when this process is not one. */
export function utilityParentChannel(): Channel | null {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!port) return null;
  return { post: (m) => port.postMessage(m), listen: (f) => port.on('message', (e) => f(e.data)) };
}

/** The core's end in a Node child process started with an IPC channel. */
export function childChannel(): Channel {
  if (!process.send) throw new Error('this process was not started with an IPC channel');
  return { post: (m) => process.send!(m), listen: (f) => process.on('message', f) };
}

/** The shell's end towards a Node child process. */
export function parentChannel(child: ChildProcess): Channel {
  return { post: (m) => child.send(m), listen: (f) => child.on('message', f) };
}
