// The demo's creators' payouts (收益提现): after the platform's file, a second small event file in which
// the persons holding the most earnings coins ask to withdraw part of them (and one asks for more than it
// holds: refused), through the real importer. Approver approves two (tax withheld, net payable until the
// bank pays it), approver2 rejects one (the coins go back), the rest wait for the console's payouts screen.
// A separate file and a generator of its own, so the main file stays what it was for a seed.
import path from 'node:path';
import type { Tx } from '../db/tx';
import { residentIdCheck } from '../domain/withholding';
import type { Actor } from '../services/actor';
import { commitEventImport } from '../services/event-import';
import { decidePayout } from '../services/payouts';
import { writeEventsFile } from './generate';
import { eachInTurn } from '../services/in-turn';
import { literal } from '../db/query';
import { num, text } from '../db/row-read';

export interface DemoPayoutSummary {
  requested: number;
  refused: number;
  approved: number;
  rejected: number;
  waiting: number;
}

const AREAS = ['110101', '310115', '440304', '330106', '510107', '420106'];

/** A resident ID number with its check character, from the person's index. */
function demoIdNumber(i: number, seed: number): string {
  const area = AREAS[(i + seed) % AREAS.length]!;
  const birth = `19${80 + ((i * 7 + seed) % 20)}${String(1 + ((i * 5) % 12)).padStart(2, '0')}${String(1 + ((i * 11 + seed) % 28)).padStart(2, '0')}`;
  const first17 = `${area}${birth}${String(100 + ((i * 37 + seed) % 900))}`;
  return first17 + residentIdCheck(first17);
}

export async function demoPayouts(
  tx: Tx,
  actors: { clerk: Actor; approver: Actor; approver2: Actor },
  o: { seed: number; now: number; at: number; dir: string },
): Promise<DemoPayoutSummary> {
  const holders = (
    await tx
      .sql(
        `SELECT a.external_id AS account, c.name, w.credits_posted - w.debits_posted - w.debits_pending AS free
       FROM customer_accounts a JOIN customers c ON c.id = a.customer_id JOIN accounts w ON w.id = a.earnings_wallet_id
       WHERE c.kind = 'person' AND w.credits_posted - w.debits_posted - w.debits_pending >= 2000 ORDER BY free DESC, a.id LIMIT 6`,
      )
      .all()
  ).map((r) => ({ account: text(r, 'account'), name: text(r, 'name'), free: num(r, 'free') }));
  if (!holders.length) return { requested: 0, refused: 0, approved: 0, rejected: 0, waiting: 0 };
  const events = holders.map((h, i) => ({
    id: `demo-${o.seed}-payout-${i + 1}`,
    type: 'earnings.withdrawal_requested' as const,
    at: o.at + i * 60_000,
    data: {
      account: h.account,
      // the last asks for more than the wallet holds: refused, and kept as refused
      coins: i === holders.length - 1 && holders.length > 2 ? h.free + 500 : Math.floor((h.free * (3 + (i % 4))) / 1000) * 100,
      payee_name: h.name,
      id_type: 'resident_id',
      id_number: demoIdNumber(i, o.seed),
      bank_name: ['工商银行', '建设银行', '招商银行', '农业银行'][i % 4]!,
      account_number: `6222${String(o.seed % 10_000).padStart(4, '0')}${String(10_000_000 + i * 7_919).slice(-8)}`,
    },
  }));
  const file = path.join(o.dir, `demo-payouts-${o.seed}.jsonl`);
  writeEventsFile(file, events);
  const result = await commitEventImport(tx, actors.clerk, file, { now: o.now });
  const requested = (await tx.db.selectFrom('payouts').select('id').where('status', '=', literal('requested')).orderBy('id').execute()).map(
    (p) => p.id,
  );
  let approved = 0;
  let rejected = 0;
  await eachInTurn(requested, async (id, i) => {
    if (i === 0 || i === 2) {
      await decidePayout(tx, actors.approver, id, true, '已核对收款人身份与收益明细，同意', o.now);
      approved++;
    } else if (i === 1) {
      await decidePayout(tx, actors.approver2, id, false, '收款人姓名与实名信息不符，已退回', o.now);
      rejected++;
    }
  });
  return {
    requested: requested.length,
    refused: result.refused,
    approved,
    rejected,
    waiting: requested.length - approved - rejected,
  };
}
