// The shell's side of the link (core/link.ts): the window's calls go to the core process and come back
// as the dispatcher's results; job events are handed to the window that started the job; the core's
// questions (a file dialog, a PDF, the keychain) are answered from the shell's own ports.
import type { JobEvent } from '../api/jobs';
import type { Dialogs, Printer } from '../api/ports';
import type { KeyVault } from '../db/books-key';
import type { ApiResult } from '../domain/errors';
import { refuse } from '../domain/refusals';
import { tagged, type Channel, type CoreToShell, type PortAsk } from './link';

export interface ShellPorts {
  dialogs: Dialogs;
  printer?: Printer;
  vault?: KeyVault;
}

export class CoreClient {
  private seq = 0;
  private readonly replies = new Map<number, (r: ApiResult<unknown>) => void>();
  private opened: ((m: CoreToShell) => void) | null = null;
  private closed: (() => void) | null = null;
  private gone: string | null = null;

  constructor(
    private readonly link: Channel,
    private readonly ports: ShellPorts,
    private readonly onEvent: (clientId: string, event: JobEvent) => void,
  ) {
    link.listen((raw) => {
      const m = tagged<CoreToShell>(raw);
      if (m) this.receive(m);
    });
  }

  /** Opens the books in the core; refuses with the core's own words when it cannot. */
  open(booksPath: string, nativeBinding?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.opened = (m) =>
        m.t === 'ready' ? resolve() : reject(new Error(m.t === 'open-failed' ? m.message : 'the core did not open the books'));
      this.link.post({ t: 'open', booksPath, nativeBinding });
    });
  }

  dispatch(clientId: string, method: string, input: unknown): Promise<ApiResult<unknown>> {
    if (this.gone) return Promise.resolve(coreGone(this.gone));
    return new Promise((resolve) => {
      const id = ++this.seq;
      this.replies.set(id, resolve);
      this.link.post({ t: 'call', id, clientId, method, input });
    });
  }

  /** A window closed: its session ends. */
  endClient(clientId: string): void {
    if (!this.gone) this.link.post({ t: 'client-gone', clientId });
  }

  /** Waits for running jobs, closes the books, and lets the core end. */
  close(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => {
      this.closed = resolve;
      this.link.post({ t: 'close' });
    });
  }

  /** The core process ended: what waits is answered, and every later call is refused, saying why. */
  exited(reason: string): void {
    this.gone = reason;
    for (const reply of this.replies.values()) reply(coreGone(reason));
    this.replies.clear();
    this.opened?.({ t: 'open-failed', message: reason });
    this.closed?.();
  }

  private receive(m: CoreToShell): void {
    switch (m.t) {
      case 'ready':
      case 'open-failed':
        this.opened?.(m);
        this.opened = null;
        return;
      case 'reply': {
        const reply = this.replies.get(m.id);
        this.replies.delete(m.id);
        reply?.(m.result);
        return;
      }
      case 'event':
        return this.onEvent(m.clientId, m.event);
      case 'ask':
        void this.answer(m.id, m);
        return;
      case 'closed':
        this.closed?.();
        return;
    }
  }

  private async answer(id: number, a: PortAsk): Promise<void> {
    try {
      this.link.post({ t: 'answer', id, ok: true, value: await this.port(a) });
    } catch (e) {
      this.link.post({ t: 'answer', id, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async port(a: PortAsk): Promise<unknown> {
    switch (a.port) {
      case 'saveFile':
        return this.ports.dialogs.saveFile(a.o);
      case 'openFile':
        return this.ports.dialogs.openFile(a.o);
      case 'htmlToPdf':
        if (!this.ports.printer) throw new Error('no printer in this shell');
        return new Uint8Array(await this.ports.printer.htmlToPdf(a.html));
      case 'vaultLoad':
        return this.ports.vault?.load(a.booksId)?.toString('hex') ?? null;
      case 'vaultSave':
        this.ports.vault?.save(a.booksId, Buffer.from(a.keyHex, 'hex'));
        return null;
    }
  }
}

function coreGone(reason: string): ApiResult<unknown> {
  const e = refuse('BOOKS', 'core_ended', { detail: reason });
  return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
}
