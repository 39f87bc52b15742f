// Pieces the customer screens share: tags for login outcomes and coin-movement states, coin amounts,
// and stored reasons in the console's language (by their codes).
import { Tooltip } from 'antd';
import { Amount } from '../../components/Amount';
import { useT, type TFunction } from '../../i18n';
import { refusalText, type RefusalLike } from '../../i18n/refusal-text';
import { CellTag } from '../../components/CellTag';

/** Whole coins, grouped, right-aligned in their cell. */
export function Coins({ value, strong }: { value: string | number; strong?: boolean }) {
  return <Amount minor={String(value)} ledger={2} {...(strong ? { strong } : {})} />;
}

export type LoginOutcome = 'ok' | 'flagged' | 'blocked';
const OUTCOME_COLOR: Record<LoginOutcome, string> = { ok: 'green', flagged: 'orange', blocked: 'red' };

export function OutcomeTag({ outcome, t }: { outcome: LoginOutcome; t: TFunction }) {
  return <CellTag color={OUTCOME_COLOR[outcome]}>{t(`login.outcome.${outcome}`)}</CellTag>;
}

export type MovementStatus = 'posted' | 'awaiting_approval' | 'refused' | 'rejected';
const STATUS_COLOR: Record<MovementStatus, string> = { posted: 'green', awaiting_approval: 'gold', refused: 'red', rejected: 'default' };

export function MovementStatusTag({ status, t }: { status: MovementStatus; t: TFunction }) {
  return <CellTag color={STATUS_COLOR[status]}>{t(`movement.status.${status}`)}</CellTag>;
}

/** A stored reason (a refusal, a hold, a login verdict) in the console's language: translated by its
 *  code and parameters when it has them; a note typed by staff, or a row from before codes, as sent. */
export function whyText(row: { reason: string; why?: RefusalLike | null }, t: TFunction): string {
  return row.why ? refusalText(t, row.why) : row.reason;
}

export function walletLabel(w: 'recharge' | 'earnings', t: TFunction): string {
  return t(`wallet.${w}`);
}

/** A long reason cut to its cell, whole in a tooltip. */
export function ReasonCell({ text }: { text: string }) {
  return text ? (
    <Tooltip title={text} placement="topLeft">
      <span>{text}</span>
    </Tooltip>
  ) : null;
}

export function RebindStatusTag({ status }: { status: 'pending' | 'approved' | 'rejected' }) {
  const t = useT();
  const color = { pending: 'gold', approved: 'green', rejected: 'default' }[status];
  return <CellTag color={color}>{t(`rebind.status.${status}`)}</CellTag>;
}
