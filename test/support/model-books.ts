// Books for property runs through the services: staff, the platform bank account and payers with bound
// cards made once through the API into a template file, each run opening a copy of it (on PostgreSQL
// books, with COFFER_TEST_ENGINE=postgres: a copy in a throwaway schema); and the run's generated
// recharge requests written through the real service.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openBooks, type Queryable } from '../../main/db/books';
import { copyBooksToPostgres } from '../../main/db/postgres/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import type { AnyBooks, Tx } from '../../main/db/tx';
import type { Actor } from '../../main/services/actor';
import { commitStatement, planStatement, resolveBankAccount, type IncomingLine } from '../../main/services/bank-statements';
import { createRechargeRequest } from '../../main/services/recharge-requests';
import { payer, setUpBank, statement, type Payer } from './recharge-fixtures';
import { ON_POSTGRES, staffedApi } from './temp-books';
import { freshSchema } from './postgres';
import { eachInTurn } from '../../main/services/in-turn';

/** The template books in `dir`, made with the desk's clock at `now`: payers numbered 1, 2, … in the order named. */
export async function templateBooks(dir: string, now: number, names: readonly string[]): Promise<{ template: string; payers: Payer[] }> {
  const t = await staffedApi('sqlite'); // a file to copy from
  t.clock.now = now;
  await setUpBank(t);
  const payers: Payer[] = [];
  for (const [i, name] of names.entries()) payers.push(await payer(t, i + 1, name));
  const template = path.join(dir, 'template.books.sqlite');
  t.books.raw.prepare('VACUUM INTO ?').run(template);
  await t.cleanup();
  return { template, payers };
}

/** A fresh copy of the template books at `file` (or in a new schema), opened; closing a schema drops it. */
export async function copyOf(template: string, file: string): Promise<AnyBooks> {
  fs.copyFileSync(template, file);
  const books = await openBooks(file);
  if (!ON_POSTGRES) return books;
  const schema = await freshSchema();
  try {
    await copyBooksToPostgres(books.raw, schema.url);
  } finally {
    await books.close();
  }
  const copy = await openPostgresBooks(schema.url);
  return { ...copy, close: () => copy.close().then(schema.drop) };
}

/** Runs `body` over a fresh copy of the template books at `file`, then closes the copy and removes its files. */
export async function onCopyOf(template: string, file: string, body: (books: AnyBooks) => Promise<void>): Promise<void> {
  const books = await copyOf(template, file);
  try {
    await body(books);
  } finally {
    await books.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
}

/** Imports `lines` as one bank statement file named `name` (its digest the name's), as `clerk` in `tx`. */
export async function importLines(tx: Tx, clerk: Actor, lines: IncomingLine[], name: string, now: number): Promise<void> {
  const s = statement(lines);
  const plan = await planStatement(tx, s, await resolveBankAccount(tx, s, null));
  await commitStatement(tx, clerk, plan, { name, sha256: createHash('sha256').update(name).digest('hex') }, now);
}

/** The staff user `username` of the books, acting in `role`. */
export async function staffActor(books: Queryable, username: string, role: Actor['role']): Promise<Actor> {
  return {
    staffId: ((await books.sql('SELECT id FROM staff WHERE username = ?').get(username)) as { id: number }).id,
    name: username,
    role,
  };
}

/** Bank requests by the clerk, each from its payer's bound card with its code; `requestId` and `at` name and time the i-th. */
export async function createRequests<R extends { payer: number; amount: number; code: string }>(
  tx: Tx,
  clerk: Actor,
  payers: readonly Payer[],
  requests: readonly R[],
  requestId: (i: number) => string,
  at: (r: R) => number,
): Promise<void> {
  await eachInTurn(requests, async (r, i) =>
    createRechargeRequest(
      tx,
      clerk,
      {
        requestId: requestId(i),
        account: { id: payers[r.payer]!.accountId },
        payerAccount: payers[r.payer]!.card,
        amount: r.amount,
        channel: 'bank',
        referenceCode: r.code,
      },
      { at: at(r) },
    ),
  );
}
