// An amount cell: right-aligned, tabular figures, yuan or coins by ledger.
import { formatAmount } from '../format/money';

export const amountStyle = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function Amount({ minor, ledger, strong }: { minor: string | bigint; ledger: number; strong?: boolean }) {
  const text = formatAmount(minor, ledger);
  return <span style={{ ...amountStyle, fontWeight: strong ? 600 : undefined }}>{text}</span>;
}
