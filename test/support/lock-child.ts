// Another process holding the books' write lock, for the busy-books test: opens the books, starts a
// write transaction as the named job, prints "locked" once it holds the lock, and commits when a line
// arrives on standard input. Usage: node --import tsx test/support/lock-child.ts FILE JOB
import { openBooks } from '../../main/db/books';
import { asJob, inWriteTx } from '../../main/db/tx';

const [file, job] = process.argv.slice(2) as [string, string];
const books = await openBooks(file);
const released = new Promise<void>((resolve) => {
  process.stdin.on('data', () => resolve());
  process.stdin.on('end', () => resolve());
});
const hold = () =>
  inWriteTx(books, async () => {
    process.stdout.write('locked\n');
    await released;
  });
await (job ? asJob(job, hold) : hold());
await books.close();
