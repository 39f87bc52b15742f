// Tests that post straight between the platform's system accounts (no bank line, record or refund
// behind the money) break the sub-ledger ties on purpose; what they check is the ledger itself.
import { TIE_KINDS } from '../../main/services/ties';
import type { VerifyReport } from '../../main/services/verify';

/** verify's findings about the ledger (balances, limits, ledgers, audit chain, integrity), without the ties. */
export function ledgerFindings(report: Pick<VerifyReport, 'findings'>): VerifyReport['findings'] {
  return report.findings.filter((f) => !(TIE_KINDS as readonly string[]).includes(f.check));
}

/** True when verify finds nothing wrong with the ledger itself. */
export const ledgerOk = (report: Pick<VerifyReport, 'findings'>): boolean => ledgerFindings(report).length === 0;
