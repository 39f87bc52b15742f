// The revenue run posted for months of demo books before an e2e test closes them (period close requires
// it), through the service as an approver would.
import type { Books } from '../../main/db/books';
import { inWriteTx } from '../../main/db/tx';
import { runRevenue } from '../../main/services/revenue';

export async function recogniseRevenue(books: Books, months: readonly string[], username = 'approver'): Promise<void> {
  const staff = books.raw.prepare('SELECT id FROM staff WHERE username = ?').get(username) as { id: number };
  for (const month of months)
    await inWriteTx(books, async (tx) => runRevenue(tx, { staffId: staff.id, name: username, role: 'approver' }, month, Date.now()));
}
