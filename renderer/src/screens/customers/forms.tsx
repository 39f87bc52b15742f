// Counter-service forms: register a customer, open an account, bind a bank account, enter a
// transfer, ask for a device re-bind, and a decision with a note. Each calls one API method; the
// server checks roles and rules again and its refusal is shown as it says.
import { Alert, App as AntApp, Form, Input, Select, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useRequestId } from '../../hooks/useRequestId';
import { type Data, type Input as ApiInput, type MethodName } from '../../api/coffer';
import { useWrite } from '../../api/queries';
import { ChoiceItem } from '../../components/ChoiceItem';
import { useT, type TFunction } from '../../i18n';
import { FormModal } from '../../components/FormModal';
import { Coins, MovementStatusTag, walletLabel, whyText } from './common';

type Page = Data<'customers.get'>;
type Account = Page['accounts'][number];
type Movement = Data<'coins.transfer'>;

/** What a counter-service write changes: the customer's page and the lists that show customers, transfers and re-binds. */
const CUSTOMER_READS: MethodName[] = ['customers.get', 'customers.search', 'coins.movements', 'devices.rebindRequests'];

/**
 * An account's dialog write: on success the `done` message, then onClose(true); after a refusal (shown
 * by useWrite) the dialog stays open to be corrected. Answers false: FormModal never closes it itself.
 */
function useAccountWrite<M extends MethodName>(method: M, onClose: (changed?: boolean) => void) {
  const { message } = AntApp.useApp();
  const write = useWrite(method, CUSTOMER_READS);
  return async (input: ApiInput<M>, done: string): Promise<boolean> => {
    if ((await write.run(input)) !== undefined) {
      void message.success(done);
      onClose(true);
    }
    return false;
  };
}

const req = (t: TFunction, field: string) => [{ required: true, whitespace: true, message: t('setup.required', { field }) }];

export function RegisterCustomerModal({ open, onClose }: { open: boolean; onClose(id?: number): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  interface V {
    kind: 'person' | 'company';
    name: string;
    phone?: string;
    email?: string;
    realName?: string;
    idNumber?: string;
    notes?: string;
  }
  const opt = (s?: string) => (s?.trim() ? s.trim() : undefined);
  const register = useWrite('customers.register', CUSTOMER_READS);
  return (
    <FormModal<V>
      open={open}
      title={t('customer.register')}
      testId="register-dialog"
      initial={{ kind: 'person' }}
      onCancel={() => onClose()}
      submit={async (v) => {
        const input: ApiInput<'customers.register'> = { kind: v.kind, name: v.name.trim() };
        for (const k of ['phone', 'email', 'realName', 'idNumber', 'notes'] as const) {
          const x = opt(v[k]);
          if (x) input[k] = x;
        }
        const r = await register.run(input);
        if (r) {
          void message.success(t('customer.registered', { name: v.name.trim() }));
          onClose(r.id);
        }
        return false;
      }}
    >
      <ChoiceItem name="kind" label={t('customer.kind')} choices={{ person: 'customer.kind.person', company: 'customer.kind.company' }} />
      <Form.Item name="name" label={t('customer.name')} rules={req(t, t('customer.name'))}>
        <Input autoFocus maxLength={100} data-testid="register-name" />
      </Form.Item>
      <Form.Item name="phone" label={t('customer.phone')}>
        <Input maxLength={20} data-testid="register-phone" />
      </Form.Item>
      <Form.Item name="email" label={t('customer.email')} rules={[{ type: 'email', message: t('customer.emailInvalid') }]}>
        <Input maxLength={254} />
      </Form.Item>
      <Form.Item name="realName" label={t('customer.realName')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="idNumber" label={t('customer.idNumber')}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="notes" label={t('customer.notes')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </FormModal>
  );
}

export function OpenAccountModal({ open, customerId, onClose }: { open: boolean; customerId: number; onClose(changed?: boolean): void }) {
  const t = useT();
  const openAccount = useAccountWrite('accounts.open', onClose);
  interface V {
    externalId: string;
    name: string;
    ip?: string;
    mac?: string;
  }
  return (
    <FormModal<V>
      open={open}
      title={t('account.open')}
      testId="open-account-dialog"
      onCancel={() => onClose()}
      submit={(v) =>
        openAccount(
          {
            customerId,
            externalId: v.externalId.trim(),
            name: v.name.trim(),
            ...(v.ip?.trim() ? { ip: v.ip.trim() } : {}),
            ...(v.mac?.trim() ? { mac: v.mac.trim() } : {}),
          },
          t('account.opened', { id: v.externalId.trim() }),
        )
      }
    >
      <Form.Item name="externalId" label={t('account.externalId')} rules={req(t, t('account.externalId'))}>
        <Input autoFocus maxLength={64} data-testid="open-account-id" />
      </Form.Item>
      <Form.Item name="name" label={t('account.name')} rules={req(t, t('account.name'))}>
        <Input maxLength={100} data-testid="open-account-name" />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('account.addressHint')}</Typography.Paragraph>
      <Form.Item
        name="ip"
        label={t('device.ip')}
        dependencies={['mac']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, value?: string) =>
              value?.trim() || String(getFieldValue('mac') ?? '').trim()
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.addressNeeded'))),
          }),
        ]}
      >
        <Input maxLength={64} placeholder="10.0.0.8" data-testid="open-account-ip" />
      </Form.Item>
      <Form.Item name="mac" label={t('device.mac')}>
        <Input maxLength={32} placeholder="AA-BB-CC-00-11-22" data-testid="open-account-mac" />
      </Form.Item>
    </FormModal>
  );
}

export function BindBankModal({ open, account, onClose }: { open: boolean; account: Account | null; onClose(changed?: boolean): void }) {
  const t = useT();
  const bind = useAccountWrite('accounts.bindBank', onClose);
  interface V {
    bankName: string;
    accountNumber: string;
    holderName: string;
  }
  return (
    <FormModal<V>
      open={open}
      title={t('bank.bindTitle', { account: account?.externalId ?? '' })}
      testId="bind-bank-dialog"
      onCancel={() => onClose()}
      submit={async (v) => {
        if (!account) return true;
        const bank = { bankName: v.bankName.trim(), accountNumber: v.accountNumber.trim(), holderName: v.holderName.trim() };
        return bind({ accountId: account.id, ...bank }, t('bank.bound'));
      }}
    >
      <Form.Item name="bankName" label={t('bank.bankName')} rules={req(t, t('bank.bankName'))}>
        <Input autoFocus maxLength={100} placeholder={t('bank.bankNamePlaceholder')} data-testid="bind-bank-name" />
      </Form.Item>
      <Form.Item name="accountNumber" label={t('bank.accountNumber')} rules={req(t, t('bank.accountNumber'))}>
        <Input maxLength={60} data-testid="bind-bank-number" />
      </Form.Item>
      <Form.Item name="holderName" label={t('bank.holderName')} rules={req(t, t('bank.holderName'))}>
        <Input maxLength={100} data-testid="bind-bank-holder" />
      </Form.Item>
    </FormModal>
  );
}

/** A transfer at the counter: one request id per opening, so a double submit posts once. */
export function TransferModal({
  open,
  accounts,
  from,
  onClose,
}: {
  open: boolean;
  accounts: Account[];
  from?: number;
  onClose(changed?: boolean): void;
}) {
  const t = useT();
  const transfer = useWrite('coins.transfer', CUSTOMER_READS);
  const requestId = useRequestId(open);
  const [outcome, setOutcome] = useState<Movement | null>(null);
  useEffect(() => {
    if (open) setOutcome(null);
  }, [open]);
  interface V {
    fromAccountId: number;
    toAccountId: number;
    wallet: 'recharge' | 'earnings';
    coins: string;
  }
  const options = accounts.map((a) => ({
    value: a.id,
    label: `${a.externalId} · ${a.name}${a.linked ? '' : ` · ${t('account.notLinked')}`}`,
  }));
  const outcomeView = outcome && (
    <Alert
      data-testid="transfer-outcome"
      showIcon
      type={outcome.status === 'posted' ? 'success' : outcome.status === 'awaiting_approval' ? 'warning' : 'error'}
      title={
        <span>
          <MovementStatusTag status={outcome.status} t={t} /> {t(`transfer.outcome.${outcome.status}`)}
        </span>
      }
      description={
        <span>
          {outcome.fromAccountId && accounts.find((a) => a.id === outcome.fromAccountId)?.externalId} →{' '}
          {outcome.toAccountId && accounts.find((a) => a.id === outcome.toAccountId)?.externalId} · {walletLabel(outcome.walletKind, t)} ·{' '}
          <Coins value={outcome.amount} /> {t('coins.unit')}
          {outcome.reason && (outcome.status === 'refused' || outcome.status === 'rejected') ? ` · ${whyText(outcome, t)}` : ''}
        </span>
      }
    />
  );
  return (
    <FormModal<V>
      open={open}
      title={t('transfer.title')}
      testId="transfer-dialog"
      okText={outcome ? t('common.close') : t('transfer.submit')}
      initial={{ wallet: 'recharge', ...(from ? { fromAccountId: from } : {}) }}
      onCancel={() => onClose(outcome !== null)}
      footerNote={outcomeView}
      submit={async (v) => {
        if (outcome) return true;
        const m = await transfer.run({
          requestId,
          fromAccountId: v.fromAccountId,
          toAccountId: v.toAccountId,
          wallet: v.wallet,
          coins: v.coins.trim().replaceAll(',', ''),
        });
        if (m) setOutcome(m);
        return false;
      }}
    >
      <ChoiceItem
        name="wallet"
        label={t('transfer.wallet')}
        disabled={outcome !== null}
        choices={{ recharge: 'wallet.recharge', earnings: 'wallet.earnings' }}
      />
      <Form.Item name="fromAccountId" label={t('transfer.from')} rules={[{ required: true, message: t('transfer.pickAccount') }]}>
        <Select options={options} disabled={outcome !== null} data-testid="transfer-from" />
      </Form.Item>
      <Form.Item
        name="toAccountId"
        label={t('transfer.to')}
        dependencies={['fromAccountId']}
        rules={[
          { required: true, message: t('transfer.pickAccount') },
          ({ getFieldValue }) => ({
            validator: (_, v?: number) =>
              v !== undefined && v === getFieldValue('fromAccountId')
                ? Promise.reject(new Error(t('transfer.sameAccount')))
                : Promise.resolve(),
          }),
        ]}
      >
        <Select options={options} disabled={outcome !== null} data-testid="transfer-to" />
      </Form.Item>
      <Form.Item
        name="coins"
        label={t('transfer.coins')}
        rules={[
          { required: true, message: t('setup.required', { field: t('transfer.coins') }) },
          { pattern: /^\s*[1-9][\d,]{0,20}\s*$/, message: t('transfer.coinsInvalid') },
        ]}
      >
        <Input
          suffix={t('coins.unit')}
          disabled={outcome !== null}
          inputMode="numeric"
          data-testid="transfer-coins"
          style={{ width: 240 }}
        />
      </Form.Item>
    </FormModal>
  );
}

export function RebindRequestModal({
  open,
  account,
  onClose,
}: {
  open: boolean;
  account: Account | null;
  onClose(changed?: boolean): void;
}) {
  const t = useT();
  const rebind = useAccountWrite('devices.requestRebind', onClose);
  interface V {
    kind: 'ip' | 'mac';
    address: string;
    reason: string;
  }
  return (
    <FormModal<V>
      open={open}
      title={t('rebind.askTitle', { account: account?.externalId ?? '' })}
      testId="rebind-dialog"
      okText={t('rebind.ask')}
      initial={{ kind: 'ip' }}
      onCancel={() => onClose()}
      submit={async (v) => {
        if (!account) return true;
        return rebind({ accountId: account.id, kind: v.kind, address: v.address.trim(), reason: v.reason.trim() }, t('rebind.asked'));
      }}
    >
      <Typography.Paragraph type="secondary">{t('rebind.intro')}</Typography.Paragraph>
      <ChoiceItem name="kind" label={t('device.kind')} choices={{ ip: 'device.ip', mac: 'device.mac' }} />
      <Form.Item name="address" label={t('rebind.newAddress')} rules={req(t, t('rebind.newAddress'))}>
        <Input maxLength={64} data-testid="rebind-address" />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('rebind.reason')}
        rules={[...req(t, t('rebind.reason')), { min: 2, message: t('rebind.reasonShort') }]}
      >
        <Input.TextArea rows={2} maxLength={500} data-testid="rebind-reason" />
      </Form.Item>
    </FormModal>
  );
}

/** Approve or reject with a note (a rejection must say why). */
export function DecideModal({
  open,
  title,
  summary,
  approve,
  onCancel,
  onDecide,
}: {
  open: boolean;
  title: string;
  summary: ReactNode;
  approve: boolean;
  onCancel(): void;
  onDecide(note: string): Promise<boolean>;
}) {
  const t = useT();
  interface V {
    note?: string;
  }
  return (
    <FormModal<V>
      open={open}
      title={title}
      testId="decide-dialog"
      okText={approve ? t('decide.approve') : t('decide.reject')}
      onCancel={onCancel}
      submit={(v) => onDecide(v.note?.trim() ?? '')}
    >
      <div style={{ marginBottom: 12 }}>{summary}</div>
      <Form.Item
        name="note"
        label={approve ? t('decide.noteOptional') : t('decide.noteRequired')}
        rules={approve ? [] : [...req(t, t('decide.note')), { min: 2, message: t('rebind.reasonShort') }]}
      >
        <Input.TextArea rows={2} maxLength={500} data-testid="decide-note" />
      </Form.Item>
    </FormModal>
  );
}
