// Pieces the customer screens share: who may do counter work or decide, tags for login outcomes and
// coin-movement states, coin amounts, and the server's fixed refusal texts in the console's language.
import { Tag, Tooltip } from 'antd';
import { MOVEMENT_REFUSAL_TEXT, type MovementRefusal } from '../../../../main/domain/coin-movement';
import { useSession } from '../../app/session';
import { Amount } from '../../components/Amount';
import { useT, type MessageKey, type TFunction } from '../../i18n';

/** Clerks and approvers serve at the counter; approvers decide held transfers and re-binds. */
export function useCan() {
  const { session } = useSession();
  return {
    counter: session.role === 'clerk' || session.role === 'approver',
    approve: session.role === 'approver',
    admin: session.role === 'admin',
    staffId: session.staffId,
    username: session.username,
  };
}

/** Whole coins, grouped, right-aligned in their cell. */
export function Coins({ value, strong }: { value: string | number; strong?: boolean }) {
  return <Amount minor={String(value)} ledger={2} {...(strong ? { strong } : {})} />;
}

export type LoginOutcome = 'ok' | 'flagged' | 'blocked';
const OUTCOME_COLOR: Record<LoginOutcome, string> = { ok: 'green', flagged: 'orange', blocked: 'red' };

export function OutcomeTag({ outcome, t }: { outcome: LoginOutcome; t: TFunction }) {
  return (
    <Tag color={OUTCOME_COLOR[outcome]} style={{ marginInlineEnd: 0 }}>
      {t(`login.outcome.${outcome}`)}
    </Tag>
  );
}

export type MovementStatus = 'posted' | 'awaiting_approval' | 'refused' | 'rejected';
const STATUS_COLOR: Record<MovementStatus, string> = { posted: 'green', awaiting_approval: 'gold', refused: 'red', rejected: 'default' };

export function MovementStatusTag({ status, t }: { status: MovementStatus; t: TFunction }) {
  return (
    <Tag color={STATUS_COLOR[status]} style={{ marginInlineEnd: 0 }}>
      {t(`movement.status.${status}`)}
    </Tag>
  );
}

// The server sends a refusal as English text; the rule refusals are a fixed set, shown translated.
// (Session and ledger refusals carry addresses and ids and are shown as sent.)
const FIXED: Record<string, MessageKey> = {
  ...Object.fromEntries(
    (Object.entries(MOVEMENT_REFUSAL_TEXT) as [MovementRefusal, string][]).map(([code, text]) => [
      text,
      `movement.refusal.${code}` as MessageKey,
    ]),
  ),
  'the wallet does not hold enough coins': 'movement.refusal.exceeds_credits',
  'above the approval threshold: waits for an approver': 'movement.refusal.held',
};

/** A login verdict's reason ("IP 1.2.3.4 is not the registered IP; …") in the console's language. */
export function loginReasonText(reason: string, t: TFunction): string {
  const parts = reason.split('; ').map((p) => {
    if (p === 'no address is registered for this account') return t('login.reason.noneRegistered');
    if (p === 'the login gave no address of a registered kind') return t('login.reason.noKind');
    const m = /^(IP|MAC) (\S+) is not the registered (?:IP|MAC)$/.exec(p);
    return m ? t('login.reason.mismatch', { kind: m[1]!, address: m[2]! }) : null;
  });
  return parts.every((p) => p !== null) ? parts.join(t('login.reason.sep')) : reason;
}

/** A refusal or note the server sent, translated where its text is one of the fixed ones. */
export function reasonText(reason: string, t: TFunction): string {
  const key = FIXED[reason];
  if (key) return t(key);
  const blocked = /^login blocked: (.*)$/.exec(reason);
  if (blocked) return t('login.reason.blocked', { reason: loginReasonText(blocked[1]!, t) });
  const session = /^session (\S+) belongs to a login that was blocked \((.*)\)$/.exec(reason);
  if (session) return t('login.reason.blockedSession', { session: session[1]!, reason: loginReasonText(session[2]!, t) });
  const unknown = /^\w+: no account (\S+)$/.exec(reason);
  if (unknown) return t('movement.refusal.noAccount', { account: unknown[1]! });
  return loginReasonText(reason, t);
}

export function walletLabel(w: 'recharge' | 'earnings', t: TFunction): string {
  return t(`wallet.${w}`);
}

/** A request id for one opening of a form: a double submit sends the same id, so it posts once. */
export function newRequestId(): string {
  return `ui-${crypto.randomUUID()}`;
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
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }}>
      {t(`rebind.status.${status}`)}
    </Tag>
  );
}
