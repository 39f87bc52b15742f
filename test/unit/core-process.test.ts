// The core off the window: the books and the dispatcher in a process of their own (Electron's utility
// process in the console; a Node child here, over the same link), the shell answering only for file
// dialogs, printing and the keychain.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../main/api/jobs';
import { parentChannel } from '../../main/core/channels';
import { CoreClient } from '../../main/core/client';
import { dispatcherCalls, PASSWORD, tempDir } from '../support/temp-books';

const CHILD = path.resolve(import.meta.dirname, '../support/core-child.ts');

let dir: string;
let child: ChildProcess;
let core: CoreClient;
let events: { clientId: string; event: JobEvent }[];
let asked: string[];
let keychain: Map<string, Buffer>;

function start(): CoreClient {
  child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const c = new CoreClient(
    parentChannel(child),
    {
      dialogs: {
        saveFile: async (o) => (asked.push(`save ${o.defaultName}`), path.join(dir, o.defaultName)),
        openFile: async () => (asked.push('open'), null),
      },
      printer: { htmlToPdf: async (html) => Buffer.from(`%PDF-1.7 ${html.length}`) },
      vault: { load: (id) => keychain.get(id) ?? null, save: (id, key) => keychain.set(id, key) },
    },
    (clientId, event) => events.push({ clientId, event }),
  );
  child.on('exit', (code) => c.exited(`exit code ${code}`));
  return c;
}

// Calls the core of the moment (a test starts a new one after killing the first).
const { call } = dispatcherCalls({ dispatch: (clientId, method, input) => core.dispatch(clientId, method, input) });

async function outcome(jobId: string): Promise<JobEvent & { clientId: string }> {
  for (;;) {
    const e = events.find((x) => x.event.jobId === jobId && x.event.type !== 'job.progress');
    if (e) return { ...e.event, clientId: e.clientId };
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeEach(() => {
  dir = tempDir();
  events = [];
  asked = [];
  keychain = new Map();
  core = start();
});
afterEach(async () => {
  if (child.exitCode === null) {
    await core.close();
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const books = () => path.join(dir, 'core.books.sqlite');
const setup = () => call('w1', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });

describe('the core process', () => {
  it('opens the books and answers the window’s calls through the same dispatcher', async () => {
    await core.open(books());
    expect(await call('w1', 'setup.status')).toMatchObject({ needsFirstAdmin: true });
    await setup();
    // the books key's copy went to the shell's keychain when the first write signed the anchor
    expect([...keychain.values()].map((k) => k.length)).toEqual([32]);
    const accounts = await call('w1', 'ledger.accounts');
    expect(accounts.rows.map((a) => a.code)).toContain('unallocated_receipts');
    // another window has no session: the role check is the core's
    await expect(call('w2', 'ledger.accounts')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses books it cannot open, in the core’s own words', async () => {
    fs.writeFileSync(books(), 'not a database at all, but long enough to have a header of a hundred bytes '.repeat(3));
    await expect(core.open(books())).rejects.toThrow(/is not a Coffer books file/);
    expect(await core.dispatch('w1', 'setup.status', {})).toMatchObject({ ok: false, error: { code: 'BOOKS' } });
  });

  it('sends a job’s events to the window that started it, and asks the shell for the file and the PDF', async () => {
    await core.open(books());
    await setup();
    const { jobId } = await call('w1', 'books.verify');
    expect(await outcome(jobId)).toMatchObject({ type: 'job.done', clientId: 'w1', result: { ok: true } });
    expect(events.every((e) => e.clientId === 'w1')).toBe(true);

    const print = await call('w1', 'reports.periodPrint', { report: 'balances', month: '2026-11' });
    const done = await outcome(print.jobId);
    expect(done).toMatchObject({ type: 'job.done', result: { format: 'pdf' } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^save .*2026-11.*\.pdf$/);
    const saved = (done as { result: { path: string } }).result.path;
    expect(fs.readFileSync(saved, 'latin1')).toMatch(/^%PDF-1\.7 \d+$/);
  });

  it('a window that closes ends its session in the core', async () => {
    await core.open(books());
    await setup();
    core.endClient('w1');
    await expect(call('w1', 'ledger.accounts')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when the core dies, what waits is answered and later calls are refused, saying so; what was committed is kept', async () => {
    await core.open(books());
    await setup();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await core.dispatch('w1', 'ledger.accounts', {})).toMatchObject({
      ok: false,
      error: { code: 'BOOKS', details: { reason: 'core_ended' } },
    });
    core = start();
    await core.open(books());
    expect(await call('w1', 'setup.status')).toMatchObject({ needsFirstAdmin: false });
  });
});
