// One desk's browser against `coffer serve`, as a process of its own (test/unit/serve-clients.test.ts):
// it logs in and, until its time is up, does its role's work over HTTP the way the console does —
// a clerk enters a counter request for each bank line it was given and matches the line to it (another
// clerk was given the same lines), an approver approves what the queue offers (so do the others).
// Plain JavaScript with no imports, so that eight of them start at once. Prints what it did as JSON.
const { base, username, password, role, seconds, lines } = JSON.parse(process.env.COFFER_CLIENT);
const until = Date.now() + seconds * 1000;
const done = { calls: 0, refused: {}, created: 0, matched: 0, credited: 0, lost: 0 };
let token;

async function call(method, input) {
  done.calls++;
  const r = await fetch(new URL('api/call', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ method, input }),
  });
  const body = await r.json();
  if (!body.ok) {
    const why = body.error?.details?.reason ?? body.error?.code;
    done.refused[why] = (done.refused[why] ?? 0) + 1;
  }
  return body;
}

async function clerk() {
  for (const [i, l] of lines.entries()) {
    if (Date.now() >= until) return;
    const r = await call('requests.create', {
      requestId: `${username}-${process.pid}-${i}`,
      accountId: l.accountId,
      payerAccount: l.card,
      amount: l.yuan,
    });
    if (!r.ok) continue;
    done.created++;
    const m = await call('reconcile.match', { lineId: l.lineId, requestId: r.data.id, amount: l.fen });
    if (m.ok) done.matched++;
  }
}

async function approver() {
  while (Date.now() < until) {
    const q = await call('approvals.queue', { limit: 5 });
    const items = (q.ok ? q.data.rows : []).filter((x) => x.canApprove).map((x) => ({ id: x.id, version: x.version }));
    if (items.length === 0) {
      await new Promise((r) => setTimeout(r, 20));
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
  await (role === 'clerk' ? clerk() : approver());
  process.stdout.write(JSON.stringify(done));
} catch (e) {
  // the server may be killed under us (the kill test): say what was done until then
  process.stdout.write(JSON.stringify({ ...done, stopped: String(e?.cause?.code ?? e?.message ?? e) }));
}
