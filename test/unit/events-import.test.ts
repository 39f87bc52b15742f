// Importing the platform's event files: a good file applies with business refusals recorded; a replay
// changes nothing; every kind of bad file is refused whole with file, line, field and reason, and
// writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../renderer/src/i18n';
import { fieldLabel, refusalText } from '../../renderer/src/i18n/refusal-text';
import { canonicalJson } from '../../main/formats/event-file';
import { withStaffedApi } from '../support/books-hooks';
import type { TestApi } from '../support/temp-books';

const DAY1 = path.resolve('test/fixtures/events/day-1.jsonl');
let t: TestApi;
withStaffedApi((api) => (t = api));

async function importFile(file: string, as = 'clerk') {
  t.dialogs.nextOpen = file;
  const preview = await t.runJob(as, 'events.preview');
  const result = await t.runJob(as, 'events.import', { token: preview.token, sha256: preview.sha256 });
  return { preview, result };
}

function writeEvents(name: string, content: string | Buffer): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const snapshot = async () => {
  const counts = [];
  for (const tb of ['customers', 'customer_accounts', 'transfers', 'events', 'event_imports', 'logins', 'coin_movements', 'audit'])
    counts.push(await t.anyBooks.sql(`SELECT count(*) AS n FROM ${tb}`).get());
  return JSON.stringify(counts);
};

describe('a good event file', () => {
  it('previews counts per type, then applies, recording business refusals with their reasons', async () => {
    const { preview, result } = await importFile(DAY1);
    expect(preview).toMatchObject({
      ok: true,
      events: 16,
      toApply: 16,
      alreadyImported: 0,
      counts: { 'customer.registered': 2, 'account.opened': 3, 'transfer.requested': 4, 'coins.spent': 2 },
    });
    expect(result.applied).toBe(10);
    expect(result.refused).toBe(6);
    expect(result.refusals.map((r) => [r.id, r.reason])).toEqual([
      ['evt-0010', 'login blocked: IP 203.0.113.9 is not the registered IP'],
      ['evt-0011', 'session S-2 belongs to a login that was blocked (IP 203.0.113.9 is not the registered IP)'],
      ['evt-0012', 'the accounts belong to different customers: coins never leave a link group'],
      ['evt-0013', 'the wallet does not hold enough coins'],
      ['evt-0015', 'the receiving account is not in its customer’s link group'],
      ['evt-0016', 'to_account: no account A9999'],
    ]);
    // Each refusal is kept with its code and parameters too (the console translates by code).
    const coded = [
      ['evt-0010', 'login_blocked', { cause: 'ip_mismatch', ip: '203.0.113.9' }],
      ['evt-0011', 'blocked_session', { session: 'S-2', cause: 'ip_mismatch', ip: '203.0.113.9' }],
      ['evt-0012', 'different_customers', {}],
      ['evt-0013', 'exceeds_credits', {}],
      ['evt-0015', 'to_account_not_linked', {}],
      ['evt-0016', 'unknown_account', { field: 'to_account', account: 'A9999' }],
    ];
    expect(result.refusals.map((r) => [r.id, r.why!.code, r.why!.params])).toEqual(coded);
    const stored = await t.call('auditor', 'events.refused', {
      importId: result.importId,
    });
    expect(stored.map((r) => [r.id, r.why!.code, r.why!.params]).sort()).toEqual(coded);
    expect(stored.find((r) => r.id === 'evt-0010')!.why!.message).toBe('login blocked: IP 203.0.113.9 is not the registered IP');
    const logins = await t.call('auditor', 'logins.list', {
      outcomes: ['blocked'],
    });
    expect(logins.rows.map((l) => l.why)).toEqual([expect.objectContaining({ code: 'ip_mismatch', params: { ip: '203.0.113.9' } })]);
    const movements = await t.anyBooks
      .sql("SELECT reason_code AS code, reason_params AS params FROM coin_movements WHERE status = 'refused' ORDER BY id")
      .all();
    expect(movements).toEqual([
      { code: 'blocked_session', params: JSON.stringify({ session: 'S-2', cause: 'ip_mismatch', ip: '203.0.113.9' }) },
      { code: 'different_customers', params: '{}' },
      { code: 'exceeds_credits', params: '{}' },
      { code: 'to_account_not_linked', params: '{}' },
    ]);
    const page = await t.call('clerk', 'customers.search', { text: '张伟' });
    const zhang = await t.call('clerk', 'customers.get', { id: page.rows[0]!.id });
    expect(zhang.accounts.map((a) => [a.externalId, a.earnings.balance, a.linked])).toEqual([
      ['A1001-1', '300', true],
      ['A1001-2', '200', false],
    ]);
    const report = await t.runJob('auditor', 'books.verify');
    expect(report.ok).toBe(true);
    // One audit row for the whole import, with its count.
    const audit = await t.anyBooks.sql("SELECT item_count FROM audit WHERE action = 'events.import'").all();
    expect(audit).toEqual([{ item_count: 16 }]);
  });

  it('imported twice changes nothing the second time', async () => {
    await importFile(DAY1);
    const before = await snapshot();
    const { preview, result } = await importFile(DAY1);
    expect(preview).toMatchObject({ alreadyImported: 16, toApply: 0 });
    expect(result).toMatchObject({ applied: 0, refused: 0 });
    const after = JSON.parse(await snapshot()) as { n: number }[];
    const was = JSON.parse(before) as { n: number }[];
    // Only the import record and its audit row are new.
    expect(after.map((r) => r.n)).toEqual(was.map((r, i) => r.n + (i === 4 || i === 7 ? 1 : 0)));
  });

  it('refuses a file whose event id was imported before with other content', async () => {
    await importFile(DAY1);
    const changed = fs.readFileSync(DAY1, 'utf8').replace('"coins":500,"note":"直播收益"', '"coins":501,"note":"直播收益"');
    const file = writeEvents('changed.jsonl', changed);
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    expect(preview.ok).toBe(false);
    expect(preview.errors).toEqual([
      {
        file: 'changed.jsonl',
        line: 7,
        field: 'id',
        code: 'event_imported_other',
        params: { id: 'evt-0007' },
        reason: 'event evt-0007 was imported before with other content',
      },
    ]);
  });
});

const line = (o: object) => JSON.stringify(o);
const ok = (id: string) =>
  line({ id, type: 'customer.registered', at: '2026-11-20T09:00:00+08:00', data: { customer: `C-${id}`, kind: 'person', name: '李娜' } });

const BAD: { name: string; content: () => string | Buffer; error: { line: number | null; field: string | null; reason: RegExp } }[] = [
  { name: 'empty file', content: () => '', error: { line: null, field: null, reason: /the file is empty/ } },
  { name: 'only blank lines', content: () => '\n\n  \n', error: { line: null, field: null, reason: /holds no events/ } },
  {
    name: 'truncated JSON',
    content: () => `${ok('e1')}\n{"id":"e2","type":"customer.regis`,
    error: { line: 2, field: null, reason: /not valid JSON/ },
  },
  {
    name: 'a JSON array instead of lines',
    content: () => `[${ok('e1')}]`,
    error: { line: 1, field: null, reason: /looks like one JSON array/ },
  },
  {
    name: 'CSV, not JSON Lines',
    content: () => 'id,type,at\ne1,customer.registered,2026-11-20',
    error: { line: 1, field: null, reason: /not valid JSON/ },
  },
  {
    name: 'a line that is not an object',
    content: () => `${ok('e1')}\n42`,
    error: { line: 2, field: null, reason: /must be one JSON object/ },
  },
  {
    name: 'unknown event type',
    content: () => line({ id: 'e1', type: 'customer.deleted', at: '2026-11-20T09:00:00+08:00', data: {} }),
    error: { line: 1, field: 'type', reason: /must be one of customer\.registered \/ account\.opened/ },
  },
  {
    name: 'missing field',
    content: () =>
      line({ id: 'e1', type: 'customer.registered', at: '2026-11-20T09:00:00+08:00', data: { customer: 'C1', kind: 'person' } }),
    error: { line: 1, field: 'data.name', reason: /^required$/ },
  },
  {
    name: 'wrong type',
    content: () => line({ id: 'e1', type: 'earnings.credited', at: '2026-11-20T09:00:00+08:00', data: { account: 'A1', coins: 12.5 } }),
    error: { line: 1, field: 'data.coins', reason: /positive whole number of coins/ },
  },
  {
    name: 'time without offset',
    content: () =>
      line({ id: 'e1', type: 'customer.registered', at: '2026-11-20 09:00', data: { customer: 'C1', kind: 'person', name: 'x' } }),
    error: { line: 1, field: 'at', reason: /not a date and time with its offset/ },
  },
  {
    name: 'unknown field',
    content: () =>
      line({
        id: 'e1',
        type: 'customer.registered',
        at: '2026-11-20T09:00:00+08:00',
        data: { customer: 'C1', kind: 'person', name: 'x', vip: true },
      }),
    error: { line: 1, field: 'data', reason: /unknown field\(s\): vip/ },
  },
  {
    name: 'bad IP',
    content: () =>
      line({ id: 'e1', type: 'customer.login', at: '2026-11-20T09:00:00+08:00', data: { account: 'A1', session: 'S', ip: '300.1.1.1' } }),
    error: { line: 1, field: 'data.ip', reason: /not a valid IPv4/ },
  },
  {
    name: 'duplicate id with other content',
    content: () => `${ok('e1')}\n${ok('e1').replace('李娜', '王芳')}`,
    error: { line: 2, field: 'id', reason: /already appears on line 1 with other content/ },
  },
  {
    name: 'a huge line',
    content: () =>
      `${ok('e1')}\n${line({ id: 'e2', type: 'customer.registered', at: '2026-11-20T09:00:00+08:00', data: { customer: 'C2', kind: 'person', name: 'x', notes: 'n'.repeat(70_000) } })}\n${ok('e3')}`,
    error: { line: 2, field: null, reason: /longer than 65536 bytes/ },
  },
  {
    name: 'invalid UTF-8',
    content: () =>
      Buffer.concat([
        Buffer.from(
          `${ok('e1')}\n{"id":"e2","type":"customer.registered","at":"2026-11-20T09:00:00+08:00","data":{"customer":"C2","kind":"person","name":"`,
        ),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}}\n'),
      ]),
    error: { line: 2, field: null, reason: /not valid UTF-8/ },
  },
];

describe("an event's identity", () => {
  it("is its JSON with every object's keys sorted, whatever order and spacing the line had", () => {
    const line = '{ "type": "x", "id": "e1", "data": { "z": [ { "b": 1, "a": [2, {"d": null, "c": "é"}] } ], "a": true }, "at": 1.5 }';
    const want = '{"at":1.5,"data":{"a":true,"z":[{"a":[2,{"c":"é","d":null}],"b":1}]},"id":"e1","type":"x"}';
    expect(canonicalJson(JSON.parse(line))).toBe(want);
    expect(canonicalJson(JSON.parse(want))).toBe(want);
  });
});

describe('a bad event file', () => {
  it.each(BAD)('$name: refused whole with file, line, field and reason; nothing written', async ({ name, content, error }) => {
    const file = writeEvents(`${name.replace(/\W+/g, '-')}.jsonl`, content());
    const before = await snapshot();
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    expect(preview.ok).toBe(false);
    expect(preview.errors[0]).toMatchObject({ file: path.basename(file), line: error.line, field: error.field });
    expect(preview.errors[0]!.reason).toMatch(error.reason);
    // Every problem has its code (the import screen translates it) and the English from the catalogue.
    expect(preview.errors[0]!.code).toMatch(/^[a-z_0-9]+$/);
    // Importing anyway (a stale or forged preview) is refused the same way.
    await expect(t.runJob('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(await snapshot()).toBe(before);
  });

  it('says each line’s problem in the console’s language: the field by its name, the reason by its code', async () => {
    const login = (data: object) => line({ id: 'e1', type: 'customer.login', at: '2026-11-20T09:00:00+08:00', data });
    const file = writeEvents(
      'zh.jsonl',
      [
        login({ account: 'A1', session: 'S', ip: '300.1.1.1' }),
        '{oops',
        login({ account: 'A1', session: 'S', ip: '1.1.1.1', vip: 1 }),
      ].join('\n'),
    );
    t.dialogs.nextOpen = file;
    const { errors } = await t.runJob('clerk', 'events.preview');
    const zh = (key: MessageKey, vars?: Record<string, string | number>) => translate('zh-CN', key, vars);
    const shown = errors.map((e) => [
      e.line,
      e.field && fieldLabel(zh, e.field.replace(/^data\./, '')),
      refusalText(zh, { ...e, message: e.reason }),
    ]);
    expect(shown).toEqual([
      [1, 'IP 地址', '不是有效的 IPv4 或 IPv6 地址'],
      [2, null, expect.stringMatching(/^不是有效的 JSON：/)],
      [3, '事件数据', '有未知字段：vip'],
    ]);
    expect(errors[0]).toMatchObject({ code: 'ip_format', params: {}, reason: 'not a valid IPv4 or IPv6 address' });
  });

  it('keeps reading past errors so one preview lists them all (first 200 kept)', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => (i % 2 ? ok(`e${i}`) : '{oops'));
    const file = writeEvents('many.jsonl', lines.join('\n'));
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    expect(preview.errorCount).toBe(150);
    expect(preview.errors).toHaveLength(150);
    expect(preview.events).toBe(150);
  });

  it('refuses an import whose file changed after its preview', async () => {
    const file = writeEvents('moving.jsonl', ok('e1'));
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    fs.appendFileSync(file, `\n${ok('e2')}`);
    await expect(t.runJob('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await t.anyBooks.sql('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 0 });
  });

  it('an auditor may not import, and a token from another window does not work', async () => {
    const file = writeEvents('one.jsonl', ok('e1'));
    t.dialogs.nextOpen = file;
    await expect(t.runJob('auditor', 'events.preview')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const preview = await t.runJob('clerk', 'events.preview');
    await expect(t.runJob('approver', 'events.import', { token: preview.token, sha256: preview.sha256 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('a cancelled import', () => {
  it('writes nothing', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => ok(`bulk-${i}`));
    const file = writeEvents('bulk.jsonl', lines.join('\n'));
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    const before = await snapshot();
    const { jobId } = await t.call('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
    await t.call('clerk', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.events.find((e) => e.jobId === jobId && e.type === 'job.failed')).toMatchObject({ error: { code: 'CANCELLED' } });
    expect(await snapshot()).toBe(before);
  });
});
