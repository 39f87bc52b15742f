// 柜台开票申请: staff enter a customer's invoice request by hand — the customer, which of their
// credited recharges (with what is still invoiceable on each), an amount or all that is left, the
// invoice type and the buyer's details. The request is recorded as submitted; the check comes next.
import { Alert, App as AntApp, Checkbox, Col, Flex, Form, Input, Modal, Row, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { useInvalidate } from '../../api/queries';
import { errorText } from '../../app/errors';
import { useInlineRead } from '../../hooks/useInlineRead';
import { useDialogRun } from '../../hooks/useDialogRun';
import { useRequestId } from '../../hooks/useRequestId';
import { ChoiceItem } from '../../components/ChoiceItem';
import { moneyColumn, timeColumn } from '../../components/columns';
import { useT } from '../../i18n';
import { CustomerPicker } from '../customers/CustomerPicker';
import { yuanInputToApi } from '../approvals/common';
import type { InvoiceType } from './common';
import { LIMITS } from '../../../../main/domain/invoice-buyer';

type Summary = Data<'invoices.customerSummary'>;
type Rec = Summary['records'][number];

interface Values {
  customerId?: number;
  amount?: string;
  invoiceType: InvoiceType;
  buyerName?: string;
  taxpayerId?: string;
  address?: string;
  phone?: string;
  bankName?: string;
  bankAccount?: string;
  naturalPerson?: boolean;
  email?: string;
  remarks?: string;
}

/** The buyer's optional details, each box as long as the books accept (LIMITS, the buyer check's). */
const BUYER_DETAILS = ['address', 'phone', 'bankName', 'bankAccount', 'email'] as const;

const blank = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

export function CounterRequestModal({ open, onClose }: { open: boolean; onClose(created: boolean): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const customerId = Form.useWatch('customerId', form);
  const [records, setRecords] = useState<number[]>([]);
  const { busy, error: submitError, setError, run } = useDialogRun();
  const requestId = useRequestId(open);
  // Another customer: none of their recharges chosen yet.
  useEffect(() => setRecords([]), [customerId]);
  const read = useInlineRead('invoices.customerSummary', { customerId: customerId ?? 0 }, { enabled: !!customerId });
  const summary: Summary | null = read.data ?? null;
  const error = submitError ?? (read.error ? errorText(read.error, t) : null);
  const invalidate = useInvalidate();

  const invoiceable = (summary?.records ?? []).filter((r) => BigInt(r.invoiceable) > 0n);

  const submit = async (v: Values) => {
    setError(null);
    const customer = v.customerId;
    if (!customer) return setError(t('invreq.counter.pickCustomer'));
    if (!records.length) return setError(t('invreq.counter.pickRecharges'));
    const amount = blank(v.amount);
    const amountApi = amount ? yuanInputToApi(amount) : null;
    if (amount && !amountApi) return setError(t('invreq.counter.badAmount'));
    await run(async () => {
      const r = await call('invoices.createRequest', {
        requestId,
        customerId: customer,
        recordIds: records,
        ...(amountApi ? { amount: amountApi } : {}),
        invoiceType: v.invoiceType,
        buyerName: (v.buyerName ?? '').trim(),
        ...(blank(v.taxpayerId) ? { taxpayerId: blank(v.taxpayerId)!.toUpperCase() } : {}),
        ...(blank(v.address) ? { address: blank(v.address)! } : {}),
        ...(blank(v.phone) ? { phone: blank(v.phone)! } : {}),
        ...(blank(v.bankName) ? { bankName: blank(v.bankName)! } : {}),
        ...(blank(v.bankAccount) ? { bankAccount: blank(v.bankAccount)! } : {}),
        naturalPerson: !!v.naturalPerson,
        ...(blank(v.email) ? { email: blank(v.email)! } : {}),
        ...(blank(v.remarks) ? { remarks: blank(v.remarks)! } : {}),
      });
      void message.success(t('invreq.counter.created', { id: r.counterNo }));
      // Not a useWrite: a refusal is said inside the dialog.
      await invalidate('invoices.requests', 'invoices.customerSummary');
      form.resetFields();
      onClose(true);
    });
  };

  const columns: TableColumnsType<Rec> = [
    { title: t('record.receiptNo'), dataIndex: 'receiptNo', width: 150 },
    timeColumn('creditedAt', t('record.creditedAt'), 160),
    moneyColumn('amount', t('invcust.paid'), 120),
    moneyColumn('invoiced', t('invcust.invoiced'), 120),
    moneyColumn('invoiceable', t('invcust.invoiceable'), 120, { strong: true }),
  ];

  return (
    <Modal
      open={open}
      width={860}
      title={t('invreq.counter.title')}
      okText={t('invreq.counter.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'counter-invoice-ok' }}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ invoiceType: 'ordinary' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="customerId" label={t('appr.customer')}>
          <CustomerPicker
            onChange={(id) => {
              form.setFieldValue('customerId', id);
              setError(null);
            }}
            testId="counter-invoice-customer"
          />
        </Form.Item>
        {customerId && (
          <Flex vertical gap={4} style={{ marginBottom: 12 }}>
            <Typography.Text>{t('invreq.counter.recharges')}</Typography.Text>
            <Table<Rec>
              data-testid="counter-invoice-records"
              rowKey="id"
              size="small"
              bordered
              columns={columns}
              dataSource={invoiceable}
              pagination={{ pageSize: 5, hideOnSinglePage: true, size: 'small' }}
              rowSelection={{ selectedRowKeys: records, onChange: (k) => setRecords(k as number[]) }}
              locale={{ emptyText: t('invreq.counter.noneInvoiceable') }}
            />
          </Flex>
        )}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="amount" label={t('invreq.counter.amount')} extra={t('invreq.counter.amountNote')}>
              <Input suffix={t('appr.yuan')} data-testid="counter-invoice-amount" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <ChoiceItem
              name="invoiceType"
              label={t('invreq.field.invoiceType')}
              choices={{ ordinary: 'inv.type.ordinary', special: 'inv.type.special' }}
            />
          </Col>
          <Col span={12}>
            <Form.Item
              name="buyerName"
              label={t('invreq.field.name')}
              rules={[{ required: true, whitespace: true, message: t('invreq.problem.required') }]}
            >
              <Input maxLength={LIMITS.name} data-testid="counter-invoice-buyer" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="taxpayerId" label={t('invreq.field.taxpayerId')}>
              <Input maxLength={LIMITS.taxpayerId} data-testid="counter-invoice-taxpayer" />
            </Form.Item>
          </Col>
          {BUYER_DETAILS.map((field) => (
            <Col span={12} key={field}>
              <Form.Item name={field} label={t(`invreq.field.${field}`)}>
                <Input maxLength={LIMITS[field]} />
              </Form.Item>
            </Col>
          ))}
          <Col span={12}>
            <Form.Item name="naturalPerson" label={t('invreq.field.naturalPerson')} valuePropName="checked">
              <Checkbox>{t('invreq.counter.naturalPerson')}</Checkbox>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="remarks" label={t('invreq.field.remarks')}>
              <Input.TextArea rows={2} maxLength={LIMITS.remarks} />
            </Form.Item>
          </Col>
        </Row>
        {error && <Alert type="error" showIcon title={error} data-testid="counter-invoice-error" />}
      </Form>
    </Modal>
  );
}
