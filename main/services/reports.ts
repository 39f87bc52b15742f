// Reports for the day and the month: the dashboard's figures, and the monthly roll-forward of the coin
// liability (opening, recharged, bonus, transferred, spent, expired, reversed, closing) per coin ledger, with the
// CNY customer prepayments beside it. Business days and months are Shanghai's.
import { sql, type Compilable, type ExpressionBuilder } from 'kysely';
import { dialect, literal, selectAllExact, selectFirst, selectFirstExact } from '../db/query';
import type { Database } from '../db/schema';
import { witnessOf } from './witness';
import type { Queryable } from '../db/books';
import { shanghaiDate, shanghaiDayStart } from '../domain/dates';
import { LEDGER } from '../domain/ledgers';
import { writeReportWorkbook } from '../formats/report-xlsx';
import { matchableLine } from './bank-statements';

const DAY = 86_400_000;

export async function dashboard(q: Queryable, now: number) {
  const today = shanghaiDayStart(shanghaiDate(now));
  const month = shanghaiDayStart(`${shanghaiDate(now).slice(0, 7)}-01`);
  const sums = async (from: number) =>
    (await q.db
      .selectFrom('recharge_records')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('money'),
        eb.fn.coalesce(eb.fn.sum<number | null>('paid_coins'), eb.lit(0)).as('coins'),
        eb.fn.coalesce(eb.fn.sum<number | null>('bonus_coins'), eb.lit(0)).as('bonus'),
      ])
      .where('credited_at', '>=', from)
      .where('reversed_at', 'is', null)
      .executeTakeFirst())!;
  const stages = Object.fromEntries(
    (
      await q.db
        .selectFrom('recharge_requests')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .orderBy(sql`status ${sql.raw(dialect(q).byteOrder)}`)
        .execute()
    ).map((r) => [r.status, r.n]),
  );
  const count = async (query: Compilable<{ n: number }>) => (await selectFirst(q, query))!.n;
  const countAll = (eb: ExpressionBuilder<Database, keyof Database>) => eb.fn.countAll<number>().as('n');
  const pending = {
    ...stages,
    unmatchedLines: await count(
      q.db
        .selectFrom('bank_lines')
        .select(countAll)
        .where(sql<boolean>`${sql.raw(matchableLine())}`),
    ),
    suggestions: await count(q.db.selectFrom('match_suggestions').select((eb) => eb.fn.count<number>('bank_line_id').distinct().as('n'))),
    heldTransfers: await count(q.db.selectFrom('coin_movements').select(countAll).where('status', '=', literal('awaiting_approval'))),
    writeOffs: await count(
      q.db.selectFrom('allocations').select(countAll).where('kind', '=', literal('writeoff')).where('status', '=', literal('proposed')),
    ),
    rebinds: await count(q.db.selectFrom('rebind_requests').select(countAll).where('status', '=', literal('pending'))),
    refundsPayable: await count(q.db.selectFrom('refunds').select(countAll).where('status', '=', literal('payable'))),
  };
  const from = today - 89 * DAY;
  const daily = new Map(
    (
      await q.db
        .selectFrom('recharge_records')
        .select((eb) => [
          sql<string>`${sql.raw(dialect(q).shanghaiDay('credited_at'))}`.as('day'),
          eb.fn.sum<number>('amount').as('money'),
          eb.fn.sum<number>('paid_coins').as('coins'),
        ])
        .where('credited_at', '>=', from)
        .where('reversed_at', 'is', null)
        .groupBy('day')
        .execute()
    ).map((d) => [d.day, d]),
  );
  const volume = Array.from({ length: 90 }, (_, i) => {
    const day = shanghaiDate(from + i * DAY);
    const d = daily.get(day);
    return { day, money: String(d?.money ?? 0), coins: String(d?.coins ?? 0) };
  });
  const liability = await q.db
    .selectFrom('accounts')
    .select((eb) => [
      'ledger',
      eb.fn.coalesce(eb.fn.sum<number | null>(eb('credits_posted', '-', eb.ref('debits_posted'))), eb.lit(0)).as('held'),
    ])
    .where('owner_kind', '=', literal('customer_account'))
    .groupBy('ledger')
    .execute();
  const prepayments = (await q.db
    .selectFrom('accounts')
    .select((eb) => eb('credits_posted', '-', eb.ref('debits_posted')).as('b'))
    .where((eb) => eb('ledger', '=', eb.lit(LEDGER.CNY)))
    .where('code', '=', literal('customer_prepayments'))
    .where('owner_kind', 'is', null)
    .executeTakeFirst())!;
  const t = await sums(today);
  const m = await sums(month);
  const fmt = (x: { n: number; money: number; coins: number; bonus: number }) => ({
    count: x.n,
    money: String(x.money),
    coins: String(x.coins),
    bonus: String(x.bonus),
  });
  return {
    today: fmt(t),
    month: fmt(m),
    pending,
    volume,
    liability: {
      rechargeCoins: String(liability.find((l) => l.ledger === LEDGER.RECHARGE_COIN)?.held ?? 0),
      earningsCoins: String(liability.find((l) => l.ledger === LEDGER.EARNINGS_COIN)?.held ?? 0),
      prepaymentsFen: String(prepayments.b),
    },
  };
}

export interface RollForwardLine {
  ledger: number;
  opening: string;
  recharged: string;
  bonus: string;
  earned: string;
  transferred: string;
  spent: string;
  /** Recharge coins the platform let expire (transfer code 'expiry'). */
  expired: string;
  reversed: string;
  other: string;
  closing: string;
}

export interface RollForward {
  month: string;
  lines: RollForwardLine[];
  prepayments: { opening: string; closing: string };
}

/** The coin liability of one Shanghai month ('YYYY-MM'), per coin ledger. Closing = opening + every movement. */
export async function rollForward(q: Queryable, month: string): Promise<RollForward> {
  const from = shanghaiDayStart(`${month}-01`);
  const [y, mo] = month.split('-').map(Number) as [number, number];
  const to = shanghaiDayStart(`${mo === 12 ? y + 1 : y}-${String(mo === 12 ? 1 : mo + 1).padStart(2, '0')}-01`);
  // Net change of customers' wallets per ledger and transfer code in [from, to); and before `from`.
  const flows = (fromTs: number, toTs: number) =>
    selectAllExact(
      q,
      q.db
        .selectFrom('transfers as t')
        .innerJoin('accounts as d', 'd.id', 't.debit_account_id')
        .innerJoin('accounts as c', 'c.id', 't.credit_account_id')
        .select((eb) => {
          const toWallet = eb.case().when('c.owner_kind', '=', literal('customer_account')).then(eb.ref('t.amount')).else(eb.lit(0)).end();
          const fromWallet = eb
            .case()
            .when('d.owner_kind', '=', literal('customer_account'))
            .then(eb.ref('t.amount'))
            .else(eb.lit(0))
            .end();
          const amongWallets = eb
            .case()
            .when(eb.and([eb('c.owner_kind', '=', literal('customer_account')), eb('d.owner_kind', '=', literal('customer_account'))]))
            .then(eb.ref('t.amount'))
            .else(eb.lit(0))
            .end();
          return [
            't.ledger',
            't.code',
            eb(eb.fn.sum<number>(toWallet), '-', eb.fn.sum<number>(fromWallet)).as('net'),
            eb.fn.sum<number>(amongWallets).as('among'),
          ];
        })
        .where('t.ledger', 'in', [literal(LEDGER.RECHARGE_COIN), literal(LEDGER.EARNINGS_COIN)])
        .where('t.kind', 'in', [literal('single'), literal('post')])
        .where('t.ts', '>=', fromTs)
        .where('t.ts', '<', toTs)
        .groupBy(['t.ledger', 't.code']),
    );
  const before = await flows(0, from);
  const within = await flows(from, to);
  const lines = [LEDGER.RECHARGE_COIN, LEDGER.EARNINGS_COIN].map((ledger) => {
    const opening = before.filter((r) => Number(r.ledger) === ledger).reduce((s, r) => s + r.net, 0n);
    const rows = within.filter((r) => Number(r.ledger) === ledger);
    const by = (codes: string[]) => rows.filter((r) => codes.includes(r.code)).reduce((s, r) => s + r.net, 0n);
    const recharged = by(['recharge_credit']);
    const bonus = by(['recharge_bonus']);
    const earned = by(['earnings']);
    const spent = -by(['spend']);
    const expired = -by(['expiry']);
    const reversed = -by(['recharge_reversal']);
    const transferred = rows.filter((r) => r.code === 'customer_transfer').reduce((s, r) => s + r.among, 0n);
    const known = ['recharge_credit', 'recharge_bonus', 'earnings', 'spend', 'expiry', 'recharge_reversal', 'customer_transfer'];
    const other = rows.filter((r) => !known.includes(r.code)).reduce((s, r) => s + r.net, 0n) + by(['customer_transfer']);
    const closing = opening + recharged + bonus + earned - spent - expired - reversed + other;
    return {
      ledger,
      opening: String(opening),
      recharged: String(recharged),
      bonus: String(bonus),
      earned: String(earned),
      transferred: String(transferred),
      spent: String(spent),
      expired: String(expired),
      reversed: String(reversed),
      other: String(other),
      closing: String(closing),
    };
  });
  const at = async (ts: number) => {
    const row = await selectFirstExact(
      q,
      q.db
        .selectFrom(['transfers as t', 'accounts as a'])
        .select((eb) =>
          eb.fn
            .sum<number | null>(
              eb
                .case()
                .when('t.credit_account_id', '=', eb.ref('a.id'))
                .then(eb.ref('t.amount'))
                .else(eb.neg(eb.ref('t.amount')))
                .end(),
            )
            .as('b'),
        )
        .where('a.ledger', '=', literal(LEDGER.CNY))
        .where('a.code', '=', literal('customer_prepayments'))
        .where('a.owner_kind', 'is', null)
        .where((eb) => eb.or([eb('t.credit_account_id', '=', eb.ref('a.id')), eb('t.debit_account_id', '=', eb.ref('a.id'))]))
        .where('t.kind', 'in', [literal('single'), literal('post')])
        .where('t.ts', '<', ts),
    );
    return String(row!.b ?? 0n);
  };
  return { month, lines, prepayments: { opening: await at(from), closing: await at(to) } };
}

export async function exportRollForward(q: Queryable, target: string, month: string) {
  const r = await rollForward(q, month);
  const name = (l: number) => (l === LEDGER.RECHARGE_COIN ? '充值币 Recharge coins' : '收益币 Earnings coins');
  return writeReportWorkbook(
    target,
    [
      {
        name: `币负债 ${month}`,
        columns: [
          { header: '账簿 Ledger', width: 24 },
          { header: '期初 Opening', width: 16 },
          { header: '充值 Recharged', width: 16 },
          { header: '赠送 Bonus', width: 14 },
          { header: '收益 Earned', width: 14 },
          { header: '互转 Transferred', width: 16 },
          { header: '消费 Spent', width: 14 },
          { header: '过期 Expired', width: 14 },
          { header: '冲回 Reversed', width: 14 },
          { header: '其他 Other', width: 12 },
          { header: '期末 Closing', width: 16 },
        ],
        rows: r.lines.map((l) => [
          name(l.ledger),
          Number(l.opening),
          Number(l.recharged),
          Number(l.bonus),
          Number(l.earned),
          Number(l.transferred),
          Number(l.spent),
          Number(l.expired),
          Number(l.reversed),
          Number(l.other),
          Number(l.closing),
        ]),
      },
      {
        name: '预收款 Prepayments',
        columns: [
          { header: '项目 Item', width: 30 },
          { header: '金额 CNY', width: 20, money: true },
        ],
        rows: [
          ['期初 Opening', Number(r.prepayments.opening) / 100],
          ['期末 Closing', Number(r.prepayments.closing) / 100],
        ],
      },
    ],
    await witnessOf(q),
  );
}
