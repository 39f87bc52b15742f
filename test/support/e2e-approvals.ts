// Helpers for the approval story: a PDF printer for the harness (Chromium's page.pdf() on the record's
// HTML, with the Chinese font the page names), calls as a staff user straight through the dispatcher
// (jobs waited for), and the platform's later events (a login from another address, coins spent).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import type { JobMethodName, MethodInput, MethodName, MethodOutput } from '../../main/api/contract';
import type { Ports } from '../../main/api/ports';
import type { CallData } from './temp-books';
import type { Harness } from './bridge';

/** Gives the harness's dispatcher a printer, as Electron's printToPDF is in the console. */
export function installPdfPrinter(h: Harness, browser: Browser): void {
  (h.dispatcher.ports as Ports).printer = {
    async htmlToPdf(html: string) {
      const page = await browser.newPage();
      try {
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true });
      } finally {
        await page.close();
      }
    },
  };
}

/** A staff user's own client of the dispatcher: log in once, then call methods and run jobs, typed by the contract. */
export async function staffClient(h: Harness, clientId: string, username: string, password: string) {
  const send = async (method: string, input: unknown): Promise<unknown> => {
    const r = await h.dispatcher.dispatch(clientId, method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  // The data of a method whose input its schema accepted: what its run returned.
  const call = <M extends MethodName>(method: M, input?: MethodInput<M>) => send(method, input ?? {}) as Promise<CallData<M>>;
  await call('session.login', { username, password });
  return {
    call,
    async job<M extends JobMethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>> {
      const { jobId } = (await send(method, input ?? {})) as { jobId: string };
      await h.dispatcher.jobs.settle(jobId);
      for (let i = 0; i < 200; i++) {
        const end = h.events.find((e) => e.event.jobId === jobId && (e.event.type === 'job.done' || e.event.type === 'job.failed'));
        if (end?.event.type === 'job.done') return end.event.result as MethodOutput<M>;
        if (end?.event.type === 'job.failed') throw new Error(`${method}: ${end.event.error.code} ${end.event.error.message}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${method}: job ${jobId} did not finish`);
    },
  };
}

/** Imports an events file as a staff client (preview, then import by the previewed hash). */
export async function importEvents(c: Awaited<ReturnType<typeof staffClient>>, h: Harness, file: string) {
  h.dialogs.nextOpen = file;
  const preview = await c.job('events.preview');
  h.dialogs.nextOpen = null;
  return c.job('events.import', { token: preview.token, sha256: preview.sha256 });
}

/** Shanghai wall time a minute ago, as the events' `at` ("2026-05-01T10:00:00+08:00"). */
function justNow(): string {
  return `${new Date(Date.now() - 60_000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

function writeEvents(dir: string, name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/** 张三 logs in from an address he never registered: blocked, and his request is flagged. */
export function writeForeignLogin(dir: string): string {
  return writeEvents(dir, 'platform-login.jsonl', [
    { id: 'ap-login-1', type: 'customer.login', at: justNow(), data: { account: 'C01-1', session: 'S-ZS-9', ip: '172.16.9.9' } },
  ]);
}

/** The customer spends recharge coins on the platform. */
export function writeSpend(dir: string, account: string, coins: number): string {
  return writeEvents(dir, 'platform-spend.jsonl', [
    { id: 'ap-spend-1', type: 'coins.spent', at: justNow(), data: { account, wallet: 'recharge', coins } },
  ]);
}
