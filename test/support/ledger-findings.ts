// Tests that post straight between the platform's system accounts (no bank line, record or refund
// behind the money) break the sub-ledger ties on purpose; what they check is the ledger itself.
import { expect } from 'vitest';
import { TIE_KINDS } from '../../main/services/ties';
import type { VerifyReport } from '../../main/services/verify';

/** verify's findings about the ledger (balances, limits, ledgers, audit chain, integrity), without the ties. */
export function ledgerFindings(report: Pick<VerifyReport, 'findings'>): VerifyReport['findings'] {
  return report.findings.filter((f) => !(TIE_KINDS as readonly string[]).includes(f.check));
}

/** True when verify finds nothing wrong with the ledger itself. */
export const ledgerOk = (report: Pick<VerifyReport, 'findings'>): boolean => ledgerFindings(report).length === 0;

/** verify's finding on a row of `table` edited outside Coffer: it no longer matches its seal. */
export const sealBroken = (table: string) =>
  expect.objectContaining({
    check: 'row_seal',
    message: expect.stringMatching(new RegExp(`^${table} row \\d+ was changed outside Coffer`)),
  });

/** verify's findings when an open refund's amount is edited outside Coffer: refunds payable holds `holds`
 *  yuan but the refunds come to `owed`, and the refunds row no longer matches its seal. */
export const refundEditedOutside = (holds: string, owed: string) => [
  expect.objectContaining({
    check: 'refunds_payable',
    message: `refunds payable holds ${holds} yuan but the refunds not yet paid come to ${owed}`,
  }),
  sealBroken('refunds'),
];
