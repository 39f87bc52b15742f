// What an attacker holding a books file does, for the tampering tests: SQL on a connection of their
// own, and the audit chain recomputed by someone who knows its published format (docs/AUDIT.md).
import type Sqlite from 'better-sqlite3';
import { auditHash } from '../../main/domain/audit-chain';
import { auditContentOf, type AuditDbRow } from '../../main/services/audit';

export const one = <T>(db: Sqlite.Database, sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;

export type AuditRow = AuditDbRow;

/** Recomputes the chain from entry `fromId` on, as an attacker who knows the format would. */
export function rechain(db: Sqlite.Database, fromId: number, edit: (r: AuditRow) => AuditRow = (r) => r): { seq: number; hash: string } {
  let prev = one<{ hash: string }>(db, 'SELECT prev_hash AS hash FROM audit WHERE id = ?', fromId).hash;
  let head = { seq: 0, hash: prev };
  const update = db.prepare('UPDATE audit SET staff_name = ?, prev_hash = ?, hash = ? WHERE id = ?');
  for (const row of db.prepare('SELECT * FROM audit WHERE id >= ? ORDER BY id').all(fromId) as AuditRow[]) {
    const r = edit(row);
    const hash = auditHash(prev, auditContentOf(r));
    update.run(r.staff_name, prev, hash, r.id);
    prev = hash;
    head = { seq: r.id, hash };
  }
  return head;
}
