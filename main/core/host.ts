// The core's side of the link: opens the books, runs the dispatcher, answers the shell's calls and sends
// job events to the window that started them. File dialogs, printing and the keychain are asked of the
// shell (core/link.ts), so the core needs nothing of Electron.
import { Dispatcher, toErrorBody } from '../api/dispatcher';
import { refuse } from '../domain/refusals';
import type { Dialogs, Printer } from '../api/ports';
import { openBooks, type Books } from '../db/books';
import { booksIdOf, setKeyVault, type KeyVault } from '../db/books-key';
import { tagged, type Channel, type CoreToShell, type PortAsk, type ShellToCore } from './link';

export interface CoreOptions {
  /** The scan worker's built script (api/scans.ts), beside the bundled core. */
  scanWorker?: URL;
  /** Called once the books are closed after the shell's 'close' (the process then ends). */
  onClosed?: () => void;
}

export function serveCore(link: Channel, options: CoreOptions = {}): void {
  let dispatcher: Dispatcher | null = null;
  let asked = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const send = (m: CoreToShell) => link.post(m);
  const ask = (a: PortAsk): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++asked;
      waiting.set(id, { resolve, reject });
      send({ t: 'ask', id, ...a });
    });

  const dialogs: Dialogs = {
    saveFile: async (o) => (await ask({ port: 'saveFile', o })) as string | null,
    openFile: async (o) => (await ask({ port: 'openFile', o })) as string | null,
  };
  const printer: Printer = { htmlToPdf: async (html) => Buffer.from((await ask({ port: 'htmlToPdf', html })) as Uint8Array) };
  // The books key's keychain copy is read where it is needed without waiting (a signature inside a
  // transaction), so the core keeps the copy the shell gave it for the open books.
  const kept = new Map<string, Buffer | null>();
  const vault: KeyVault = {
    load: (booksId) => kept.get(booksId) ?? null,
    save: (booksId, key) => {
      kept.set(booksId, key);
      void ask({ port: 'vaultSave', booksId, keyHex: key.toString('hex') }).catch(() => {});
    },
  };
  const primeVault = async (books: Books) => {
    const id = booksIdOf(books.reader);
    if (id && !kept.has(id)) {
      const hex = (await ask({ port: 'vaultLoad', booksId: id })) as string | null;
      kept.set(id, hex ? Buffer.from(hex, 'hex') : null);
    }
  };

  const receive = async (m: ShellToCore) => {
    switch (m.t) {
      case 'open': {
        try {
          setKeyVault(vault);
          const openOptions = { nativeBinding: m.nativeBinding };
          const books = await openBooks(m.booksPath, { create: true, ...openOptions });
          dispatcher = new Dispatcher({
            books,
            openOptions,
            scanWorker: options.scanWorker,
            ports: { dialogs, printer, clock: Date.now },
            emit: (clientId, event) => send({ t: 'event', clientId, event }),
            // without the keychain's copy the key file beside the books still signs: a restore is not failed for it
            onReopen: (restored) => primeVault(restored).catch(() => {}),
          });
          await primeVault(books);
          send({ t: 'ready' });
        } catch (e) {
          send({ t: 'open-failed', message: e instanceof Error ? e.message : String(e) });
        }
        return;
      }
      case 'call': {
        if (!dispatcher)
          return send({ t: 'reply', id: m.id, result: { ok: false, error: toErrorBody(refuse('BOOKS', 'books_not_open', {})) } });
        return send({ t: 'reply', id: m.id, result: await dispatcher.dispatch(m.clientId, m.method, m.input) });
      }
      case 'client-gone':
        return dispatcher?.sessions.end(m.clientId);
      case 'answer': {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(new Error(m.message));
        return;
      }
      case 'close': {
        if (dispatcher) {
          await dispatcher.jobs.settle();
          await dispatcher.books.close();
        }
        send({ t: 'closed' });
        options.onClosed?.();
        return;
      }
    }
  };
  link.listen((raw) => {
    const m = tagged<ShellToCore>(raw);
    if (m) void receive(m);
  });
}
