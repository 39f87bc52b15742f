// A recharge request entered at the counter: the customer, one of their accounts, the bank account
// bound to it that they pay from, the amount in yuan, the channel, and the reference code they will
// write in the transfer memo (Coffer makes one when none is given). One request id per opening of the
// form, so a double submit records it once.
import { Alert, App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useEffect, useMemo } from 'react';
import { useRequestId } from '../../hooks/useRequestId';
import { type Data } from '../../api/coffer';
import { useRead, useWrite } from '../../api/queries';
import { ChoiceItem } from '../../components/ChoiceItem';
import { useT } from '../../i18n';
import { CustomerPicker } from '../customers/CustomerPicker';
import { groupedNumber } from '../reconciliation/shared';

type Page = Data<'customers.get'>;

interface V {
  customerId?: number;
  accountId?: number;
  payerAccount?: string;
  amount: string;
  channel: 'bank' | 'alipay' | 'wechat';
  referenceCode?: string;
}

export function CounterRequestModal({ open, onClose }: { open: boolean; onClose(id?: number): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<V>();
  const requestId = useRequestId(open);
  const customerId = Form.useWatch('customerId', form);
  const accountId = Form.useWatch('accountId', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
  }, [open, form]);

  const page: Page | null = useRead('customers.get', { id: customerId ?? 0 }, { enabled: !!customerId }).data ?? null;
  // A customer's page read: their first account is the one paid into unless another is chosen.
  useEffect(() => {
    if (page) form.setFieldsValue({ accountId: page.accounts[0]?.id, payerAccount: undefined });
  }, [page, form]);
  const create = useWrite('requests.create', ['requests.list', 'reconcile.queue']);
  const busy = create.busy;

  const banks = useMemo(() => {
    const a = page?.accounts.find((x) => x.id === accountId);
    return (a?.bankAccounts ?? []).filter((b) => b.endsAt === null);
  }, [page, accountId]);
  useEffect(() => {
    form.setFieldValue('payerAccount', banks[0]?.accountNumber);
  }, [banks, form]);

  const submit = async (v: V) => {
    if (!v.accountId || !v.payerAccount) return;
    const r = await create.run({
      requestId,
      accountId: v.accountId,
      payerAccount: v.payerAccount,
      amount: v.amount.trim().replaceAll(',', ''),
      channel: v.channel,
      ...(v.referenceCode?.trim() ? { referenceCode: v.referenceCode.trim().toUpperCase() } : {}),
    });
    if (!r) return;
    void message.success(t('request.created', { code: r.reference_code }));
    onClose(r.id);
  };

  const required = (field: string) => [{ required: true, message: t('setup.required', { field }) }];
  return (
    <Modal
      open={open}
      title={t('request.new')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('request.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'counter-request-ok' }}
      forceRender
      width={580}
      data-testid="counter-request"
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('request.counterIntro')} />
      <Form<V> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)} initialValues={{ channel: 'bank' }}>
        <Form.Item name="customerId" label={t('request.customer')} rules={required(t('request.customer'))}>
          <CustomerPicker onChange={(id) => form.setFieldValue('customerId', id)} testId="counter-customer" />
        </Form.Item>
        <Form.Item name="accountId" label={t('request.account')} rules={required(t('request.account'))}>
          <Select<number>
            options={(page?.accounts ?? []).map((a) => ({ value: a.id, label: `${a.externalId} · ${a.name}` }))}
            data-testid="counter-account"
          />
        </Form.Item>
        <Form.Item
          name="payerAccount"
          label={t('request.payerAccount')}
          rules={required(t('request.payerAccount'))}
          extra={customerId && !banks.length ? t('request.noBank') : t('request.boundOnly')}
        >
          <Select<string>
            options={banks.map((b) => ({
              value: b.accountNumber,
              label: `${b.bankName} · ${groupedNumber(b.accountNumber)} · ${b.holderName}`,
            }))}
            data-testid="counter-payer"
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('request.amount')}
          rules={[
            ...required(t('request.amount')),
            { pattern: /^\s*\d{1,3}(,?\d{3})*(\.\d{1,2})?\s*$/, message: t('request.amountFormat') },
          ]}
        >
          <Input suffix={t('ledger.unit.1')} placeholder="1288.00" style={{ width: 220 }} data-testid="counter-amount" />
        </Form.Item>
        <ChoiceItem
          name="channel"
          label={t('request.channel')}
          choices={{ bank: 'request.channel.bank', alipay: 'request.channel.alipay', wechat: 'request.channel.wechat' }}
        />
        <Form.Item
          name="referenceCode"
          label={t('request.referenceCode')}
          extra={t('request.referenceHint')}
          rules={[{ pattern: /^[0-9A-Za-z]{6,12}$/, message: t('request.referenceFormat') }]}
        >
          <Input maxLength={12} style={{ width: 220 }} data-testid="counter-code" />
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
