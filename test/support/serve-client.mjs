// One desk's browser against `coffer serve`, as a process of its own (test/unit/serve-clients.test.ts):
// it logs in and does its role's work over HTTP the way the console does: a clerk for its time once its
// statement's lines are there (however long a loaded machine takes to import them), an approver until the
// harness says the clerks have ended (the stop file).
// A clerk uploads and imports its bank statement (the other clerk of its pair imports the same file),
// enters a counter request for each line and matches the line to it (the other clerk races for the same
// lines), then transfers a coin between two of its customers; an approver approves what the queue offers
// (so do the others). Jobs are followed on the session's event stream. Plain JavaScript with no imports,
// so that eight of them start at once. Prints what it did as JSON.
import fs from 'node:fs';

const { base, username, password, role, seconds, statement, lines, stopFile } = JSON.parse(process.env.COFFER_CLIENT);
// Bounds against a hang only: the time a clerk works is counted from when its lines are there.
const SETUP_CAP_MS = 180_000;
const TRANSFER_CAP_MS = 120_000;
const APPROVER_CAP_MS = 600_000;
const done = { calls: 0, refused: {}, imported: 0, importedBefore: 0, created: 0, matched: 0, transferred: 0, credited: 0, lost: 0 };
let token;

const refused = (error) => {
  const why = error?.details?.reason ?? error?.code;
  done.refused[why] = (done.refused[why] ?? 0) + 1;
};

async function call(method, input, extra = {}) {
  done.calls++;
  const r = await fetch(new URL('api/call', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ method, input, ...extra }),
  });
  const body = await r.json();
  if (!body.ok) refused(body.error);
  return body;
}

// The session's job events, read as the console reads them (fetch: the token is a header).
const seen = [];
let wake = () => {};
let streamClosed = false;
async function followJobs() {
  const res = await fetch(new URL('api/events', base), { headers: { authorization: `Bearer ${token}` } });
  const reader = res.body.getReader();
  const text = new TextDecoder();
  let buffer = '';
  (async () => {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += text.decode(value, { stream: true });
      for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
        for (const line of buffer.slice(0, at).split('\n')) if (line.startsWith('data: ')) seen.push(JSON.parse(line.slice(6)));
        buffer = buffer.slice(at + 2);
        wake();
      }
    }
  })()
    .catch(() => {})
    .finally(() => {
      streamClosed = true; // the server is gone: a job waited for will not be heard of
      wake();
    });
}

/** A job started and waited for: its result, or its refusal. */
async function job(method, input, extra) {
  const started = await call(method, input, extra);
  if (!started.ok) return started;
  for (;;) {
    const e = seen.find((x) => x.jobId === started.data.jobId && x.type !== 'job.progress');
    if (e?.type === 'job.done') return { ok: true, data: e.result };
    if (e) {
      refused(e.error);
      return { ok: false, error: e.error };
    }
    if (streamClosed) throw new Error('the event stream closed');
    await new Promise((r) => (wake = r));
  }
}

async function importStatement() {
  const up = await fetch(new URL('api/upload', base), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-coffer-file-name': 'statement.csv' },
    body: fs.readFileSync(statement),
  });
  const upload = (await up.json()).data.upload;
  const chosen = await job('statements.choose', {}, { upload });
  if (!chosen.ok) return;
  const preview = await job('statements.preview', { token: chosen.data.token });
  if (!preview.ok) return;
  const imported = await job('statements.import', { token: chosen.data.token, sha256: preview.data.sha256, acceptContinuity: true });
  // the same file imported by the other clerk first: nothing new, the earlier statement named
  if (imported.ok && imported.data.alreadyImported) done.importedBefore++;
  else if (imported.ok) done.imported++;
}

/** Each bank line's id by its bank reference, from every statement imported so far. */
async function lineIds() {
  const ids = new Map();
  const statements = await call('statements.list', {});
  for (const s of statements.ok ? statements.data : []) {
    const page = await call('statements.lines', { statementId: s.id, limit: 500 });
    for (const l of page.ok ? page.data : []) ids.set(l.bankRef, l.id);
  }
  return ids;
}

async function clerk() {
  const setupCap = Date.now() + SETUP_CAP_MS;
  await importStatement();
  // the other clerk of the pair may still be importing the file: wait for the lines
  let ids = await lineIds();
  while (!lines.every((l) => ids.has(l.bankRef)) && Date.now() < setupCap) {
    await new Promise((r) => setTimeout(r, 50));
    ids = await lineIds();
  }
  const until = Date.now() + seconds * 1000;
  for (const [i, l] of lines.entries()) {
    if (Date.now() >= until) break;
    const r = await call('requests.create', {
      requestId: `${username}-${process.pid}-${i}`,
      accountId: l.accountId,
      payerAccount: l.card,
      amount: l.yuan,
    });
    if (!r.ok) continue;
    done.created++;
    const m = await call('reconcile.match', { lineId: ids.get(l.bankRef), requestId: r.data.id, amount: l.fen });
    if (m.ok) done.matched++;
  }
  // a coin to the customer's other account, tried until the recharge is credited: each try the wallet
  // cannot pay is refused and recorded as refused
  const transferCap = Date.now() + TRANSFER_CAP_MS;
  for (let k = 0; Date.now() < transferCap; k++) {
    const moved = await call('coins.transfer', {
      requestId: `${username}-${process.pid}-transfer-${k}`,
      fromAccountId: lines[0].accountId,
      toAccountId: lines[0].otherAccountId,
      wallet: 'recharge',
      coins: '1',
    });
    if (moved.ok && moved.data.status === 'posted') {
      done.transferred++;
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function approver() {
  const cap = Date.now() + APPROVER_CAP_MS;
  while (!fs.existsSync(stopFile) && Date.now() < cap) {
    const q = await call('approvals.queue', { limit: 5 });
    const items = (q.ok ? q.data.rows : []).filter((x) => x.canApprove).map((x) => ({ id: x.id, version: x.version }));
    if (items.length === 0) {
      await new Promise((r) => setTimeout(r, 100)); // nothing to approve yet
      continue;
    }
    const a = await call('approvals.approve', { items });
    for (const o of a.ok ? a.data : []) {
      if (o.outcome === 'credited') done.credited++;
      else done.lost++;
    }
  }
}

try {
  const login = await call('session.login', { username, password });
  if (!login.ok) throw new Error(`login refused: ${JSON.stringify(login.error)}`);
  token = login.token;
  await followJobs();
  await (role === 'clerk' ? clerk() : approver());
  process.stdout.write(JSON.stringify(done));
  process.exit(0); // the event stream would keep the process alive
} catch (e) {
  // the server may be killed under us (the kill test): say what was done until then
  process.stdout.write(JSON.stringify({ ...done, stopped: String(e?.cause?.code ?? e?.message ?? e) }));
  process.exit(0);
}
