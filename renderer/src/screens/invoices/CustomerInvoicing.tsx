// A customer's invoicing (客户页 → 开票): of their paid money, what is still invoiceable, what checked
// requests hold, and what was invoiced; per credited recharge, and the invoices issued and reversed.
import { Card, Flex, Skeleton, Typography, type TableColumnsType } from 'antd';
import { type Data } from '../../api/coffer';
import { errorText } from '../../app/errors';
import { useInlineRead } from '../../hooks/useInlineRead';
import { SmallTable } from '../../components/CardTable';
import { moneyColumn, timeColumn } from '../../components/columns';
import { useT } from '../../i18n';
import { nums, yuan, Yuan } from '../approvals/common';

type Summary = Data<'invoices.customerSummary'>;
type Rec = Summary['records'][number];

function Figure({ label, fen, strong, testId }: { label: string; fen: string; strong?: boolean; testId?: string }) {
  return (
    <Flex vertical>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <span style={{ ...nums, fontSize: strong ? 20 : 16, fontWeight: 600 }} data-testid={testId}>
        {yuan(fen)}
      </span>
    </Flex>
  );
}

export function CustomerInvoicing({ customerId }: { customerId: number }) {
  const t = useT();
  const { data: s, error } = useInlineRead('invoices.customerSummary', { customerId });
  if (error) return <Typography.Text type="danger">{errorText(error, t)}</Typography.Text>;
  if (!s) return <Skeleton active />;
  const columns: TableColumnsType<Rec> = [
    { title: t('record.receiptNo'), dataIndex: 'receiptNo', width: 150 },
    { title: t('invcust.rechargeRef'), dataIndex: 'rechargeRef', width: 190, ellipsis: true },
    timeColumn('creditedAt', t('record.creditedAt'), 160),
    moneyColumn('amount', t('invcust.paid'), 120),
    moneyColumn('reserved', t('invcust.reserved'), 120),
    moneyColumn('invoiced', t('invcust.invoiced'), 120),
    moneyColumn('invoiceable', t('invcust.invoiceable'), 130, {
      render: (v: string, r) =>
        r.reversedAt !== null ? (
          <Typography.Text type="secondary">{t('invcust.reversedRecharge')}</Typography.Text>
        ) : (
          <Yuan fen={v} strong />
        ),
    }),
  ];
  return (
    <Flex vertical gap={12} style={{ paddingTop: 8 }} data-testid="cust-invoicing">
      <Flex gap={48} wrap>
        <Figure label={t('invcust.paid')} fen={s.totals.paid} />
        <Figure label={t('invcust.invoiced')} fen={s.totals.invoiced} testId="cust-invoiced" />
        <Figure label={t('invcust.reserved')} fen={s.totals.reserved} />
        <Figure label={t('invcust.invoiceable')} fen={s.totals.invoiceable} strong testId="cust-invoiceable" />
        <Card size="small" style={{ minWidth: 260 }}>
          <Flex vertical gap={2}>
            <Typography.Text>{t('invcust.invoices', { n: s.invoices.count })}</Typography.Text>
            <Typography.Text type="secondary">
              {t('invcust.issued')} <Yuan fen={s.invoices.issued} /> · {t('invcust.redReversed')} <Yuan fen={s.invoices.reversed} />
            </Typography.Text>
            <Typography.Link href={`#/invoices/c/${customerId}`} data-testid="cust-invoices-link">
              {t('invcust.seeInvoices')}
            </Typography.Link>
          </Flex>
        </Card>
      </Flex>
      <SmallTable<Rec>
        testId="cust-invoicing-records"
        bordered
        columns={columns}
        dataSource={s.records}
        pageSize={20}
        locale={{ emptyText: t('invcust.noRecharges') }}
        scroll={{ x: 990 }}
      />
    </Flex>
  );
}
