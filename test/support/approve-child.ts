// One approver in a process of its own, for the concurrent double-approval test: opens the books,
// waits for the start time, approves the given requests (each at the version given) and prints the
// outcomes as JSON. Usage: node --import tsx test/support/approve-child.ts BOOKS STAFF_ID NAME START_MS ID:VERSION,…
// BOOKS: the books file, or the PostgreSQL URL of the books' schema (postgres://…).
import { openBooks } from '../../main/db/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import { inWriteTx } from '../../main/db/tx';
import { approveMany } from '../../main/services/approval';

const [where, staffId, name, start, items] = process.argv.slice(2) as [string, string, string, string, string];
const books = /^postgres(ql)?:/.test(where) ? await openPostgresBooks(where) : await openBooks(where);
const list = items.split(',').map((p) => {
  const [id, version] = p.split(':').map(Number) as [number, number];
  return { id, version };
});
while (Date.now() < Number(start)) await new Promise((r) => setTimeout(r, 1));
const out = await inWriteTx(books, async (tx) => approveMany(tx, { staffId: Number(staffId), name, role: 'approver' }, list, Date.now()));
process.stdout.write(JSON.stringify(out.map((o) => o.outcome)) + '\n');
await books.close();
