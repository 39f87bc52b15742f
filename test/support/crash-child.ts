// The writer that the crash test kills. It posts batches of N transfers, each batch one IMMEDIATE
// transaction together with its audit row, and prints a line before each batch and after each commit:
//   begin <k>      about to write batch k
//   committed <k>  batch k is durable (COMMIT returned; WAL + synchronous=FULL)
// Usage: node --import tsx test/support/crash-child.ts FILE|URL N TAG ACCOUNTS
import { openBooks } from '../../main/db/books';
import { isPostgresUrl } from '../../main/db/postgres/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import { inWriteTx } from '../../main/db/tx';
import { recordAudit } from '../../main/services/audit';
import { createTransfers, expectPosted, type TransferInput } from '../../main/services/ledger-post';

const [file, nText, tag, accountsText] = process.argv.slice(2);
if (!file || !nText || !tag || !accountsText) {
  process.stderr.write('usage: crash-child FILE N TAG FIRST_ACCOUNT_ID-LAST_ACCOUNT_ID\n');
  process.exit(2);
}
const n = Number(nText);
const [first, last] = accountsText.split('-').map(Number) as [number, number];
const books = isPostgresUrl(file) ? await openPostgresBooks(file) : await openBooks(file);
const actor = { staffId: null, name: 'crash-child', role: 'system' as const };
let seed = 12345;
const rand = (m: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % m;
};

for (let k = 0; ; k++) {
  const batch: TransferInput[] = [];
  for (let i = 0; i < n; i++) {
    const dr = first + rand(last - first + 1);
    let cr = first + rand(last - first + 1);
    if (cr === dr) cr = dr === last ? first : dr + 1;
    batch.push({
      key: `${tag}-b${k}-${i}`,
      ledger: 2,
      debitAccountId: dr,
      creditAccountId: cr,
      amount: 1 + rand(1000),
      code: 'crash',
      memo: `${tag}-b${k}`,
    });
  }
  process.stdout.write(`begin ${k}\n`);
  await inWriteTx(books, async (tx) => {
    expectPosted(await createTransfers(tx, batch));
    await recordAudit(tx, actor, { action: 'crash.batch', entity: 'transfers', entityId: `${tag}-b${k}`, count: n });
  });
  process.stdout.write(`committed ${k}\n`);
}
