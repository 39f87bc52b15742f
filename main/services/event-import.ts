// Importing an event file: read and check everything first (a file with any malformed line, or an
// event id seen before with other content, is refused whole and nothing is written); show a preview;
// then apply every event in file order in one transaction, each inside its own savepoint so that an
// event a business rule refuses is recorded as refused while the rest goes through.
import type { Queryable } from '../db/books';
import { compiledOnce } from '../db/query';
import { inSavepoint, type Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { refusalOf, type Refusal, refuse } from '../domain/refusals';
import { lineError, readEventFile, type EventFile, type LineError, type ParsedEvent } from '../formats/event-file';
import type { EventType } from '../formats/event-types';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { holdAccounts } from './customers';
import { holdRegisteredAddresses } from './devices';
import { holdLeafAccounts } from './earnings';
import { EVENT_HANDLERS } from './event-handlers';
import { holdSettings } from './settings';

export interface ImportProgress {
  progress(done: number, total: number | null, stage?: string): void;
  checkpoint(): Promise<void>;
}

export interface EventImportPreview {
  file: string;
  sha256: string;
  lines: number;
  events: number;
  counts: Partial<Record<EventType, number>>;
  alreadyImported: number;
  repeatedInFile: number;
  toApply: number;
  ok: boolean;
  errors: LineError[];
  errorCount: number;
}

interface Checked {
  file: EventFile;
  fresh: ParsedEvent[];
  alreadyImported: number;
}

// Looked up once per event of a file: compiled once.
const KNOWN = compiledOnce((db, id: string) => db.selectFrom('events').select('content_hash').where('id', '=', id));

async function check(q: Queryable, path: string, job?: ImportProgress): Promise<Checked> {
  const file = await readEventFile(path, (done, total) => job?.progress(done, total, 'reading'));
  const fresh: ParsedEvent[] = [];
  let alreadyImported = 0;
  for (const e of file.events) {
    const row = await KNOWN.get(q, e.id);
    if (!row) fresh.push(e);
    else if (row.content_hash === e.hash) alreadyImported++;
    else {
      file.errorCount++;
      if (file.errors.length < 200) file.errors.push(lineError(file.file, e.line, 'id', 'event_imported_other', { id: e.id }));
    }
  }
  return { file, fresh, alreadyImported };
}

function summary(c: Checked): EventImportPreview {
  const counts: Partial<Record<EventType, number>> = {};
  for (const e of c.file.events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return {
    file: c.file.file,
    sha256: c.file.sha256,
    lines: c.file.lines,
    events: c.file.events.length,
    counts,
    alreadyImported: c.alreadyImported,
    repeatedInFile: c.file.repeatedInFile,
    toApply: c.fresh.length,
    ok: c.file.errorCount === 0,
    errors: c.file.errors,
    errorCount: c.file.errorCount,
  };
}

export async function previewEventImport(q: Queryable, path: string, job?: ImportProgress): Promise<EventImportPreview> {
  return summary(await check(q, path, job));
}

export interface EventRefusal {
  line: number;
  id: string;
  type: EventType;
  /** English; `why` is the same as a code with parameters. */
  reason: string;
  why: Refusal;
}

export interface EventImportResult extends EventImportPreview {
  importId: number;
  applied: number;
  refused: number;
  notes: number;
  refusals: EventRefusal[];
}

export function refuseFile(p: EventImportPreview): CofferError {
  const first = p.errors[0];
  const where = first
    ? `${first.file}${first.line !== null ? ` line ${first.line}` : ''}${first.field ? `, ${first.field}` : ''}: ${first.reason}`
    : p.file;
  return refuse(
    'VALIDATION',
    'event_file_refused',
    { file: p.file, count: String(p.errorCount) },
    { errors: p.errors, errorCount: p.errorCount, file: p.file },
    { suffix: `. First: ${where}` },
  );
}

/** Which errors a handler may raise for a well-formed event that a business rule refuses. */
function isRefusal(e: unknown): e is CofferError {
  return e instanceof CofferError && ['REFUSED', 'NOT_FOUND', 'CONFLICT', 'LEDGER', 'VALIDATION', 'FORBIDDEN'].includes(e.code);
}

export async function commitEventImport(
  tx: Tx,
  actor: Actor,
  path: string,
  opts: { expectSha256?: string; job?: ImportProgress; now?: number } = {},
): Promise<EventImportResult> {
  const now = opts.now ?? Date.now();
  const checked = await check(tx, path, opts.job);
  const preview = summary(checked);
  if (!preview.ok) throw refuseFile(preview);
  if (opts.expectSha256 && opts.expectSha256 !== preview.sha256) {
    throw refuse('CONFLICT', 'file_changed_since_preview', { file: preview.file }, { field: 'path' });
  }
  const info = await tx
    .sql(
      'INSERT INTO event_imports (file_name, sha256, lines, applied, refused, skipped, imported_by, imported_at) VALUES (?, ?, ?, 0, 0, ?, ?, ?)',
    )
    .run(preview.file, preview.sha256, preview.lines, preview.alreadyImported + preview.repeatedInFile, actor.staffId, now);
  const importId = Number(info.lastInsertRowid);
  const batchActor: Actor = { ...actor, inBatch: true };
  const record = tx.sql(
    'INSERT INTO events (id, type, content_hash, at, status, reason, reason_code, reason_params, import_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let applied = 0;
  let notes = 0;
  const refusals: EventRefusal[] = [];
  let refused = 0;
  const total = checked.fresh.length;
  // No event changes a setting; accounts named by the platform's id, the cost of earnings' leaf
  // account and each account's registered addresses are looked up once (customers.ts, earnings.ts,
  // devices.ts).
  const release = [holdSettings(tx), holdAccounts(tx), holdLeafAccounts(tx), holdRegisteredAddresses(tx)];
  try {
    for (let i = 0; i < total; i++) {
      const e = checked.fresh[i]!;
      let status: 'applied' | 'refused' = 'applied';
      let why: Refusal | null = null;
      try {
        const handler = EVENT_HANDLERS[e.type] as (
          tx: Tx,
          a: Actor,
          d: unknown,
          p: { at: number; eventId: string },
        ) => ReturnType<(typeof EVENT_HANDLERS)[EventType]>;
        const outcome = await inSavepoint(tx, () => handler(tx, batchActor, e.data, { at: e.at, eventId: e.id }));
        if (outcome.status === 'refused') {
          status = 'refused';
          why = outcome.why;
        } else if (outcome.note) {
          why = outcome.note;
          notes++;
        }
      } catch (err) {
        if (!isRefusal(err)) throw err;
        status = 'refused';
        why = refusalOf(err);
      }
      const reason = why?.message ?? '';
      await record.run(
        e.id,
        e.type,
        e.hash,
        e.at,
        status,
        reason,
        why?.code ?? null,
        why ? JSON.stringify(why.params) : null,
        importId,
        e.line,
      );
      if (status === 'applied') applied++;
      else {
        refused++;
        if (refusals.length < 1000) refusals.push({ line: e.line, id: e.id, type: e.type, reason, why: why! });
      }
      if (i % 2000 === 1999) {
        opts.job?.progress(i + 1, total, 'applying');
        await opts.job?.checkpoint();
      }
    }
  } finally {
    for (const r of release) r();
  }
  await tx.sql('UPDATE event_imports SET applied = ?, refused = ? WHERE id = ?').run(applied, refused, importId);
  await recordAudit(tx, actor, {
    action: 'events.import',
    entity: 'event_import',
    entityId: importId,
    after: {
      file: preview.file,
      sha256: preview.sha256,
      applied,
      refused,
      skipped: preview.alreadyImported + preview.repeatedInFile,
      counts: preview.counts,
    },
    count: total,
    at: now,
  });
  opts.job?.progress(total, total, 'done');
  return { ...preview, importId, applied, refused, notes, refusals };
}
