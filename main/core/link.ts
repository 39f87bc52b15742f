// The link between the window's process (the shell) and the core process that holds the books and the
// dispatcher: the messages each side sends, and the channel they travel on — Electron's utility-process
// port in the console, Node's child-process IPC in tests. The core asks the shell for what only the
// shell has (file dialogs, printing, the keychain) as ports; everything else stays in the core.
import type { JobEvent } from '../api/jobs';
import type { FileFilter } from '../api/ports';
import type { ApiResult } from '../domain/errors';

export interface Channel {
  post(message: ShellToCore | CoreToShell): void;
  listen(receive: (message: unknown) => void): void;
}

/** What the shell asks the core to do. */
export type ShellToCore =
  | { t: 'open'; booksPath: string; nativeBinding?: string }
  | { t: 'call'; id: number; clientId: string; method: string; input: unknown }
  | { t: 'client-gone'; clientId: string }
  | { t: 'answer'; id: number; ok: true; value: unknown }
  | { t: 'answer'; id: number; ok: false; message: string }
  | { t: 'close' };

/** A port the shell answers for the core. */
export type PortAsk =
  | { port: 'saveFile'; o: { title: string; defaultName: string; filters: FileFilter[] } }
  | { port: 'openFile'; o: { title: string; filters: FileFilter[] } }
  | { port: 'htmlToPdf'; html: string }
  | { port: 'vaultLoad'; booksId: string }
  | { port: 'vaultSave'; booksId: string; keyHex: string };

/** What the core tells the shell. */
export type CoreToShell =
  | { t: 'ready' }
  | { t: 'open-failed'; message: string }
  | { t: 'reply'; id: number; result: ApiResult<unknown> }
  | { t: 'event'; clientId: string; event: JobEvent }
  | ({ t: 'ask'; id: number } & PortAsk)
  | { t: 'closed' };

/** A message from the other side, checked for its tag (both sides are Coffer's; a stray message is dropped). */
export function tagged<T extends { t: string }>(m: unknown): T | null {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string' ? (m as T) : null;
}
