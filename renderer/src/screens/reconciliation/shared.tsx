// Pieces the reconciliation and recharge-request screens share: yuan on screen from fen (integer
// strings or numbers across the API), the request states, the rule names in the console's language,
// and the row shapes of the API's untyped SQL answers (reconcile.queue, requests.get).
import { Tooltip, Typography } from 'antd';
import { formatYuan, parseYuan } from '../../../../main/domain/money';
import { bankLineState, type BankLineState } from '../../../../main/domain/bank-line-state';
import type { RequestStatus } from '../../../../main/domain/request-status';
import { DEFAULT_RULES, type MatchRule } from '../../../../main/domain/matching';
import type { ProposalOut } from '../../../../main/services/match-proposals';
import type { LineRow as BankLine, RequestRow as RechargeRequest } from '../../../../main/services/recharge-read';
import type { MethodOutput } from '../../../../main/api/contract';
import { amountStyle } from '../../components/Amount';
import { TwoLines } from '../../components/TwoLines';
import { lookup, useT, type TFunction } from '../../i18n';
import { CellTag } from '../../components/CellTag';
import { fieldColumn } from '../../components/columns';
import type { ListColumn } from '../../components/ListTools';

/** fen (integer string or number) → "1,288.00". */
export function fenText(fen: string | number | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '';
  return formatYuan(Number(fen), true);
}

/** A yuan string as the API's previews send it ("1288.00", "-25.00") → "1,288.00". */
export function yuanText(yuan: string | null | undefined): string {
  if (!yuan) return '';
  try {
    return formatYuan(parseYuan(yuan), true);
  } catch {
    return yuan;
  }
}

/** What a person typed in yuan ("1,288.5") → fen as an integer string; null when it is not an amount. */
export function yuanInputToFen(text: string | undefined | null): string | null {
  const s = (text ?? '').trim().replaceAll(',', '');
  if (!s) return null;
  try {
    const fen = parseYuan(s);
    return fen > 0 ? String(fen) : null;
  } catch {
    return null;
  }
}

/** fen → "1288.00" for an input box. */
export function fenToInput(fen: string | number): string {
  return formatYuan(Number(fen));
}

/** An amount cell: right-aligned by its column, tabular figures; money out in red. */
export function Yuan({ fen, strong, signed }: { fen: string | number; strong?: boolean; signed?: boolean }) {
  const n = Number(fen);
  return (
    <span style={{ ...amountStyle, fontWeight: strong ? 600 : undefined, color: signed && n < 0 ? '#cf1322' : undefined }}>
      {fenText(n)}
    </span>
  );
}

const STATUS_COLOR: Record<RequestStatus, string> = {
  submitted: 'blue',
  partly_paid: 'orange',
  matched: 'green',
  overpaid: 'purple',
  approved: 'cyan',
  credited: 'geekblue',
  reversed: 'red',
  rejected: 'default',
  expired: 'default',
};

export function RequestStatusTag({ status }: { status: string }) {
  const t = useT();
  return (
    <CellTag color={STATUS_COLOR[status as RequestStatus] ?? 'default'} data-testid="request-status">
      {lookup(t, `request.status.${status}`, status)}
    </CellTag>
  );
}

// The shipped rules carry English names; they read in the console's language (a renamed rule shows as typed).
const DEFAULT_RULE_KEYS = new Map<string, number>(DEFAULT_RULES.map((r, i) => [r.name, i + 1]));

/** A matching rule's name for the screen: the shipped ones translated, 'score' as the scorer, others as typed. */
export function ruleName(name: string | null | undefined, t: TFunction): string {
  if (!name) return '';
  const several = / \(several requests\)$/.exec(name);
  const base = several ? name.slice(0, several.index) : name;
  const n = DEFAULT_RULE_KEYS.get(base);
  const text = base === 'score' ? t('rule.score') : n ? lookup(t, `rule.default.${n}`, base) : base;
  return several ? `${text}${t('rule.severalSuffix')}` : text;
}

/** A bank account number in groups of four, as people read them off a card. */
export function groupedNumber(n: string | null | undefined): string {
  if (!n) return '';
  return /^\d{8,}$/.test(n) ? n.replace(/(\d{4})(?=\d)/g, '$1 ') : n;
}

export function AccountNo({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{groupedNumber(value)}</span>;
}

/** A bank line's counterparty: the name (`missing` when the bank gave none) over the account number. */
export function Counterparty({
  line,
  missing = '',
}: {
  line: { counterpartyName: string | null; counterpartyAccount: string | null };
  missing?: string;
}) {
  return <TwoLines main={<span>{line.counterpartyName ?? missing}</span>} sub={<AccountNo value={line.counterpartyAccount} />} />;
}

/** A memo cut to its cell, whole in a tooltip. */
export function Memo({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <Tooltip title={text} placement="topLeft">
      <Typography.Text style={{ maxWidth: '100%' }} ellipsis>
        {text}
      </Typography.Text>
    </Tooltip>
  );
}

/** A bank line's memo column (摘要/附言): the memo cut to its cell, whole in a tooltip; as wide as is left unless `width`. */
export function memoColumn<R>(t: TFunction, width?: number): ListColumn<R> {
  return fieldColumn<R>('memo', t('line.memo'), {
    ...(width ? { width } : {}),
    ellipsis: true,
    render: (m: string | null) => <Memo text={m} />,
  });
}

// reconcile.queue and requests.get answer rows straight from SQL; their shapes, from the API's queries.
/** A suggested match: the request's and the line's fields as a proposal shows them, with its score and the request's version. */
export type SuggestionRow = Pick<
  ProposalOut,
  | 'id'
  | 'lineId'
  | 'requestId'
  | 'amount'
  | 'rule'
  | 'requestRef'
  | 'requestAmount'
  | 'covered'
  | 'referenceCode'
  | 'customerName'
  | 'booked'
  | 'lineAmount'
  | 'lineAllocated'
  | 'counterpartyName'
  | 'counterpartyAccount'
  | 'memo'
> & { score: number; version: number };

/** A match or unmatch a four-eyes rule holds for a second staff user (reconcile.queue, tab awaiting). */
export type ProposalRow = ProposalOut;

/**
 * A bank line as the service reads it, with money as each read sends it (a number from reconcile.queue,
 * an integer string from statements.lines) and optional what only some reads give: the reversal's
 * pairing, statements.lines' state in one word and what of money in is not yet matched.
 */
export type LineRow = Omit<BankLine, 'amount' | 'allocated' | 'ledgerTransferId' | 'reversal' | ReversalFields> &
  Partial<Pick<BankLine, ReversalFields>> & {
    amount: number | string;
    allocated: number | string;
    /** the bank marked it as a reversal (冲正) */
    reversal?: boolean | number;
    state?: BankLineState;
    remaining?: string | null;
  };
type ReversalFields = 'reversalStatus' | 'nettedWith' | 'reversalNote';

/** A reversal not netted yet, with the line it undoes when one was found (the reversals tab). */
export interface ReversalRow extends LineRow {
  originalId: number | null;
  originalLineNo: number | null;
  originalBooked: string | null;
  originalAmount: number | null;
  originalBankRef: string | null;
  originalRequests: string | null;
  originalRequestIds: string | null;
}

/** A recharge request as the service reads it, with money as each read sends it (a number or an integer string). */
export type RequestRow = Omit<RechargeRequest, 'amount' | 'covered' | 'updatedAt' | 'accountId' | 'counterNo' | 'enteredBy'> &
  Partial<Pick<RechargeRequest, 'accountId' | 'counterNo' | 'enteredBy'>> & {
    amount: number | string;
    covered: number | string;
  };

/** A request's number as people say it: its counter number, or the platform's own id for the platform's requests. */
export function requestNo(r: { counterNo?: string | null; requestId: string }): string {
  return r.counterNo ?? r.requestId;
}

/** A match of the request's page: to a bank line or a write-off, with who made, ran and decided it. */
export type AllocationRow = MethodOutput<'requests.get'>['allocations'][number];

/** A bank line the matcher suggested for the request's page, with its score and rule. */
export type RequestSuggestion = MethodOutput<'requests.get'>['suggestions'][number];

export const remaining = (l: { amount: number | string; allocated: number | string }) => Number(l.amount) - Number(l.allocated);
export const outstanding = (r: { amount: number | string; covered: number | string }) => Number(r.amount) - Number(r.covered);

/** Where a bank line stands: netted with a reversal (冲正), a reversal waiting, money out, not matched, partly matched, matched. */
const LINE_COLORS: Record<BankLineState, string> = {
  netted: 'purple',
  reversalReview: 'volcano',
  reversalUnpaired: 'magenta',
  out: 'default',
  open: 'red',
  partly: 'orange',
  matched: 'green',
};

export function LineStatusTag({
  line,
}: {
  line: { amount: number | string; allocated: number | string; reversalStatus?: LineRow['reversalStatus']; reversalNote?: string | null };
}) {
  const t = useT();
  const state = bankLineState(line);
  const key = `line.status.${state}` as const;
  const color = LINE_COLORS[state];
  const tag = (
    <CellTag color={color} data-testid={line.reversalStatus ? `reversal-${line.reversalStatus}` : undefined}>
      {t(key)}
    </CellTag>
  );
  return line.reversalNote ? <Tooltip title={line.reversalNote}>{tag}</Tooltip> : tag;
}

export const nums = { fontVariantNumeric: 'tabular-nums' } as const;

/** A matching rule's conditions in words: reference, payer, amount (with tolerance), window, four eyes. */
export function conditionsText(r: MatchRule, t: TFunction): string {
  const parts: string[] = [];
  if (r.referenceInMemo) parts.push(t('rule.cond.reference'));
  if (r.payerAccount) parts.push(t('rule.cond.payerAccount'));
  if (r.payerName) parts.push(t('rule.cond.payerName'));
  let amount = t(`rule.amount.${r.amount}`);
  if (r.amount === 'exact' && (r.toleranceFen || r.toleranceBp)) {
    const tol = [r.toleranceFen ? fenText(r.toleranceFen) : '', r.toleranceBp ? `${(r.toleranceBp / 100).toFixed(2)}%` : '']
      .filter(Boolean)
      .join(' / ');
    amount += t('rule.tolerance', { tol });
  }
  parts.push(amount);
  parts.push(t('rule.window', { n: r.windowDays }));
  return parts.join(' + ') + (r.fourEyesFromFen === undefined ? '' : t('rule.fourEyesText', { amount: fenText(r.fourEyesFromFen) }));
}
