// The desk the revenue tests work at, made before each test and cleaned up after (withBankDesk): bankDesk
// with 张伟 and 李娜, a clock everyone logs in again at (sessions end after 15 idle minutes), recharges
// paid and approved on a given day, and the platform's coin events imported through the real importer.
import { withBankDesk } from './books-hooks';
import { deskAt, importEvents, paidAndApproved, type DeskOptions } from './desk';
import type { Payer } from './recharge-fixtures';
import type { TestApi } from './temp-books';

/** One platform event as written in the file, its `at` in Beijing time without the offset. */
export interface CoinEvent {
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/** The platform spends `coins` of the account's recharge wallet at `when`. */
export const spend = (account: string, coins: number, when: string): CoinEvent => ({
  type: 'coins.spent',
  at: when,
  data: { account, wallet: 'recharge', coins },
});

export interface CoinDesk {
  t: TestApi;
  zhang: Payer;
  li: Payer;
  /** Moves the desk's clock to `iso` (Beijing time); all the desk's staff log in again. */
  at(iso: string): Promise<void>;
  /** A request for `yuan` with the next reference code, paid in full on `day` and approved at 10:00 that day (paidAndApproved). */
  recharge(p: Payer, yuan: string, day: string): ReturnType<typeof paidAndApproved>;
  /** The events written to a file of their own and imported; each gets an id of its own. */
  events(lines: readonly CoinEvent[]): ReturnType<typeof importEvents>;
}

/** The desk of `o` (staffedApi's staff and `o.staff`) made before each test and handed to `use`; reference codes start with `codePrefix`. */
export function withCoinDesk(o: DeskOptions, codePrefix: string, use: (d: CoinDesk) => unknown): void {
  withBankDesk(o, ['张伟', '李娜'], async ([t, zhang, li]) => {
    const staff = ['admin', 'clerk', 'approver', 'auditor', ...(o.staff ?? []).map((s) => s.username)];
    const at = (iso: string) => deskAt(t, iso, staff);
    let ref = 0;
    let file = 0;
    await use({
      t,
      zhang,
      li,
      at,
      async recharge(p, yuan, day) {
        await at(`${day}T10:00:00`);
        const n = ++ref;
        return paidAndApproved(t, p, yuan, day, `${codePrefix}${String(n).padStart(4, '0')}`, n);
      },
      events(lines) {
        const n = ++file;
        return importEvents(
          t,
          `events-${n}.jsonl`,
          lines.map((l, i) => ({ id: `evt-${n}-${i + 1}`, ...l, at: `${l.at}+08:00` })),
        );
      },
    });
  });
}
