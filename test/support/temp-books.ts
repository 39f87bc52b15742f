// Temporary books files and a dispatcher over them, for tests. Every file lives under the OS temp
// folder and is removed by cleanup().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBooks, type Books } from '../../main/db/books';
import { anchorPathFor } from '../../main/db/anchor';
import { keyPathFor } from '../../main/db/books-key';
import { Dispatcher } from '../../main/api/dispatcher';
import type { JobEvent } from '../../main/api/jobs';
import type { Dialogs } from '../../main/api/ports';
import { addStaff } from './staff';

export function tempDir(prefix = 'coffer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies a closed books file with its key and anchor beside it, as one moves books to another folder. */
export function copyBooksFile(from: string, to: string): void {
  fs.copyFileSync(from, to);
  for (const side of [keyPathFor, anchorPathFor]) if (fs.existsSync(side(from))) fs.copyFileSync(side(from), side(to));
}

export async function tempBooks(dir = tempDir()): Promise<Books> {
  return openBooks(path.join(dir, 'test.books.sqlite'), { create: true });
}

/** Dialogs that answer with paths the test sets (null = the user cancelled). */
export function stubDialogs(dir: string): Dialogs & { nextSave: string | null; nextOpen: string | null; asked: ('save' | 'open')[] } {
  const d = {
    nextSave: null as string | null,
    nextOpen: null as string | null,
    /** Each dialog shown, in order: a test can tell whether the user was asked for a file at all. */
    asked: [] as ('save' | 'open')[],
    async saveFile(o: { defaultName: string }) {
      d.asked.push('save');
      return d.nextSave ?? path.join(dir, o.defaultName);
    },
    async openFile() {
      d.asked.push('open');
      return d.nextOpen;
    },
  };
  return d;
}

export interface TestApi {
  dir: string;
  books: Books;
  dispatcher: Dispatcher;
  dialogs: ReturnType<typeof stubDialogs>;
  events: JobEvent[];
  clock: { now: number };
  /** Calls a method as a client and returns the data, or throws with the error code and message. */
  call<T = unknown>(clientId: string, method: string, input?: unknown): Promise<T>;
  /** Starts a job method and waits for its outcome event. */
  runJob<T = unknown>(clientId: string, method: string, input?: unknown): Promise<T>;
  cleanup(): Promise<void>;
}

export const PASSWORD = 'correct horse 9';

export async function testApi(): Promise<TestApi> {
  const dir = tempDir();
  const books = await tempBooks(dir);
  const dialogs = stubDialogs(dir);
  const events: JobEvent[] = [];
  const clock = { now: Date.now() };
  const dispatcher = new Dispatcher({ books, ports: { dialogs, clock: () => clock.now }, emit: (_c, e) => events.push(e) });
  const call = async <T>(clientId: string, method: string, input?: unknown): Promise<T> => {
    const r = await dispatcher.dispatch(clientId, method, input ?? {});
    if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code, details: r.error.details });
    return r.data as T;
  };
  return {
    dir,
    get books() {
      return dispatcher.books;
    },
    dispatcher,
    dialogs,
    events,
    clock,
    call,
    async runJob<T>(clientId: string, method: string, input?: unknown) {
      const { jobId } = await call<{ jobId: string }>(clientId, method, input);
      await dispatcher.jobs.settle(jobId);
      for (let i = 0; i < 100; i++) {
        const end = events.find((e) => e.jobId === jobId && (e.type === 'job.done' || e.type === 'job.failed'));
        if (end?.type === 'job.done') return end.result as T;
        if (end?.type === 'job.failed')
          throw Object.assign(new Error(`${end.error.code}: ${end.error.message}`), { code: end.error.code, details: end.error.details });
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`job ${jobId} did not finish`);
    },
    async cleanup() {
      await dispatcher.books.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  } as TestApi;
}

/** A books file with the first admin and one user of each other role, each logged in as client `role`. */
export async function staffedApi(): Promise<TestApi> {
  const t = await testApi();
  await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
  for (const role of ['clerk', 'approver', 'auditor'] as const) {
    await addStaff(t.call, { username: role, role });
  }
  return t;
}
