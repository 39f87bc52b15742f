// The end-to-end bridge: the built renderer runs in Chromium and its window.coffer calls the REAL
// Dispatcher over a temporary books file, the way Electron's preload and IPC do. Each page is one
// client (its own session). Job events the dispatcher emits for a client are pushed into that page.
import { booksFile } from '../../main/db/tx';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { Dispatcher } from '../../main/api/dispatcher';
import type { JobEvent } from '../../main/api/jobs';
import { METHOD_NAMES } from '../../main/api/method-names';
import { openBooks, type Books } from '../../main/db/books';
import { serveStatic, type StaticServer } from './e2e-server';
import { stubDialogs, tempDir } from './temp-books';

export interface Harness {
  dir: string;
  /** The live books (restore replaces the object). */
  readonly books: Books;
  dispatcher: Dispatcher;
  dialogs: ReturnType<typeof stubDialogs>;
  server: StaticServer;
  events: { clientId: string; event: JobEvent }[];
  /** Bridges a page to the dispatcher as client `clientId` and opens the console in it. */
  attach(page: Page, clientId: string, open?: boolean): Promise<void>;
  close(): Promise<void>;
}

/** The script that builds window.coffer in the page: exactly the contract's methods, plus onEvent. */
function installBridge(names: readonly string[]): void {
  const w = window as unknown as {
    __cofferInvoke(method: string, input: unknown): Promise<unknown>;
    __cofferEmit?: (e: unknown) => void;
    coffer?: unknown;
  };
  const listeners = new Set<(e: unknown) => void>();
  w.__cofferEmit = (e) => {
    for (const l of listeners) l(e);
  };
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const m of names) api[m] = (input) => w.__cofferInvoke(m, input ?? {});
  w.coffer = Object.freeze({
    api: Object.freeze(api),
    onEvent(listener: (e: unknown) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
}

export async function startHarness(): Promise<Harness> {
  const dir = tempDir('coffer-e2e-');
  const books = await openBooks(path.join(dir, 'e2e.books.sqlite'), { create: true });
  const dialogs = stubDialogs(dir);
  const pages = new Map<string, Page>();
  const events: Harness['events'] = [];
  const dispatcher = new Dispatcher({
    books,
    ports: { dialogs, clock: Date.now },
    emit: (clientId, event) => {
      events.push({ clientId, event });
      const page = pages.get(clientId);
      if (page && !page.isClosed()) {
        page
          .evaluate((e) => (window as unknown as { __cofferEmit?: (e: unknown) => void }).__cofferEmit?.(e), event as unknown)
          .catch(() => {});
      }
    },
  });
  const server = await serveStatic();
  return {
    dir,
    get books() {
      return booksFile(dispatcher.books, 'test'); // these tests' books are files
    },
    dispatcher,
    dialogs,
    server,
    events,
    async attach(page, clientId, open = true) {
      pages.set(clientId, page);
      // The console turns antd's motion off for users who ask for reduced motion; the tests ask, so a
      // click never lands on a dialog still zooming in (seen under load: a lost click on 强制导出).
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.exposeBinding('__cofferInvoke', (_source, method: string, input: unknown) => dispatcher.dispatch(clientId, method, input));
      await page.addInitScript(installBridge, [...METHOD_NAMES]);
      if (open) await page.goto(server.url);
    },
    async close() {
      await dispatcher.jobs.settle();
      await server.close();
      await dispatcher.books.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The next call of `method` from this page reaches the books, but its answer is lost on the way back
 * (as a dropped connection to a server loses it): the page is told the call failed.
 */
export async function loseNextAnswer(page: Page, method: string): Promise<void> {
  await page.evaluate((lost) => {
    const w = window as unknown as { __cofferInvoke(method: string, input: unknown): Promise<unknown> };
    const invoke = w.__cofferInvoke;
    let armed = true;
    w.__cofferInvoke = async (m, input) => {
      const answer = await invoke(m, input);
      if (m !== lost || !armed) return answer;
      armed = false;
      throw new Error('the connection was lost before the answer came back');
    };
  }, method);
}
