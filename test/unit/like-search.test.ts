// Searches built from typed text take `%`, `_` and `\` literally: a clerk looking for "50%" or "a_b"
// finds the buyers with those characters in their names, not every name with a "50" or an "a", a
// character and a "b".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { likeContains, likePrefix } from '../../main/db/like';
import { dialect } from '../../main/db/query';
import { withBankDesk } from '../support/books-hooks';
import * as fx from '../support/invoice-fixtures';
import { type Payer } from '../support/recharge-fixtures';
import { tempDir, testBooks, type TestApi, type TestBooks } from '../support/temp-books';

describe('the LIKE pattern helper', () => {
  const names = ['50% 折扣', '500 公司', 'a_b 商行', 'axb 商行', 'back\\slash', 'backslash'];
  let made: TestBooks;
  beforeAll(async () => {
    made = await testBooks(tempDir());
  });
  afterAll(async () => made.remove());
  const find = async (pattern: string) => {
    const b = made.books;
    const sql = `WITH t(name) AS (VALUES ${names.map(() => '(?)').join(', ')})
      SELECT name FROM t WHERE ${dialect(b).likeNocase('name', '?')} ORDER BY name ${dialect(b).byteOrder}`;
    return ((await b.sql(sql).all(...names, pattern)) as { name: string }[]).map((r) => r.name);
  };

  it('matches %, _ and \\ only as themselves, and ASCII letters in either case', async () => {
    expect(await find(likeContains('50%'))).toEqual(['50% 折扣']);
    expect(await find(likeContains('a_b'))).toEqual(['a_b 商行']);
    expect(await find(likeContains('A_B'))).toEqual(['a_b 商行']);
    expect(await find(likeContains('k\\s'))).toEqual(['back\\slash']);
    expect(await find(likePrefix('%'))).toEqual([]);
    expect(await find(likeContains('50'))).toEqual(['50% 折扣', '500 公司']);
  });
});

describe('invoice searches through the API', () => {
  let t: TestApi;
  let zhang: Payer;
  withBankDesk({}, ['张伟'], (desk) => ([t, zhang] = desk));

  it('finds requests and invoices by "50%" and "a_b" literally', async () => {
    const buyers = ['50% 折扣公司', '500 科技公司', 'a_b 商行', 'axb 商行'];
    let n = 0;
    for (const buyerName of buyers) await fx.issuedInvoice(t, zhang, '100.00', `LIKE${++n}00`, { buyerName });
    const requests = async (text: string) => (await t.call('auditor', 'invoices.requests', { text })).rows.map((r) => r.buyerName);
    const invoices = async (f: Record<string, string>) => (await t.call('auditor', 'invoices.list', f)).rows.map((r) => r.buyerName);
    expect(await requests('50%')).toEqual(['50% 折扣公司']);
    expect(await requests('a_b')).toEqual(['a_b 商行']);
    expect(await requests('A_B')).toEqual(['a_b 商行']); // letters in either case, as the clerk types them
    expect(await invoices({ text: '50%' })).toEqual(['50% 折扣公司']);
    expect(await invoices({ buyer: 'a_b' })).toEqual(['a_b 商行']);
    expect(await invoices({ buyer: 'A_B' })).toEqual(['a_b 商行']);
    expect(await invoices({ text: 'A_B' })).toEqual(['a_b 商行']);
    expect((await invoices({ buyer: '商行' })).sort()).toEqual(['a_b 商行', 'axb 商行']);
  });
});
