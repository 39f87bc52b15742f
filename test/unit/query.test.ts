// db/query.ts: builder queries on the statement cache, read exactly when asked, and compiledOnce — a hot path's builder query compiled
// once, its arguments traced through the compiled parameters so each call binds them in their places.
import { describe, expect, it } from 'vitest';
import type { AnyBooks } from '../../main/db/tx';
import { compiledOnce, literal, selectAll, selectAllExact, selectFirst, selectFirstExact } from '../../main/db/query';
import { withScratchBooks } from '../support/books-hooks';

let books: AnyBooks;
withScratchBooks('all', (made) => ({ books } = made));

describe('exact reads', () => {
  it('reads integers past 2^53 exactly as bigint, while the same query read plainly still answers numbers', async () => {
    const big = 2 ** 53 - 1;
    const sums = () =>
      books.db
        .selectFrom('accounts')
        .select((eb) => [eb.fn.sum<number>(eb.lit(big)).as('total'), eb.fn.countAll<number>().as('n')])
        .where('id', '<=', 2);
    const exact = (await selectFirstExact(books, sums()))!;
    expect(exact).toEqual({ total: 2n * BigInt(big), n: 2n });
    expect(await selectAllExact(books, sums())).toEqual([exact]);
    const plain = (await selectFirst(books, sums()))!;
    expect(typeof plain.n).toBe('number');
    expect(await selectAll(books, sums())).toEqual([plain]);
  });
});

describe('compiledOnce', () => {
  it('binds each call’s arguments, in their places beside the constants the builder bound', async () => {
    const byKey = compiledOnce((db, key: string, ledger: number) =>
      db
        .selectFrom('accounts')
        .select(['id', 'code', 'ledger'])
        .where('ledger', '=', ledger)
        .where('owner_kind', 'is', null)
        .where('code', '=', key)
        .where('id', '>', 0)
        .limit(1),
    );
    const some = (await selectFirst(
      books,
      books.db.selectFrom('accounts').select(['id', 'code', 'ledger']).where('owner_kind', 'is', null),
    ))!;
    expect(await byKey.get(books, some.code, some.ledger)).toEqual(some);
    expect(await byKey.get(books, some.code, some.ledger + 1000)).toBeUndefined();
    expect(await byKey.all(books, some.code, some.ledger)).toEqual([some]);
  });

  it('takes an argument used twice in both places', async () => {
    const same = compiledOnce((db, code: string) =>
      db.selectFrom('accounts').select('code').where('code', '=', code).where('code', '>=', code).limit(1),
    );
    const some = (await selectFirst(books, books.db.selectFrom('accounts').select('code')))!;
    expect(await same.get(books, some.code)).toEqual({ code: some.code });
  });

  it('refuses a query that does not bind an argument as it is', async () => {
    const computed = compiledOnce((db, code: string) => db.selectFrom('accounts').select('id').where('code', '=', `gl:${code}`));
    await expect(computed.get(books, 'x')).rejects.toThrow(/computed on/);
    const unused = compiledOnce((db, _code: string) => db.selectFrom('accounts').select('id'));
    await expect(unused.get(books, 'x')).rejects.toThrow(/not bound/);
    const written = compiledOnce((db, code: string) => db.selectFrom('accounts').select('id').where('code', '=', literal(code)));
    await expect(written.get(books, 'x')).rejects.toThrow(/SQL text/);
  });
});
