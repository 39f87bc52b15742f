// One invoice request unfolded in the queue: the buyer's details as the customer gave them and the
// recharges it names — each with its paid money, what is already invoiced, what this request holds,
// and what is still invoiceable — so the check's result can be read against the numbers.
import { Descriptions, Flex, Skeleton, Table, Typography, type TableColumnsType } from 'antd';
import { type Data } from '../../api/coffer';
import { errorText } from '../../app/errors';
import { useInlineRead } from '../../hooks/useInlineRead';
import { formatTime } from '../../format/dates';
import { useT } from '../../i18n';
import { Yuan } from '../approvals/common';

type Page = Data<'invoices.request'>;
type Item = Page['items'][number];
export function RequestDetail({ id, version }: { id: number; version: number }) {
  const t = useT();
  // A new version of the request (checked, edited) asks again.
  const { data: page, error } = useInlineRead('invoices.request', { id }, { also: version });
  if (error) return <Typography.Text type="danger">{errorText(error, t)}</Typography.Text>;
  if (!page) return <Skeleton active paragraph={{ rows: 2 }} />;
  const b = page.request;
  const dash = (v: string | null) => v || '—';
  const money = (v: string | undefined) => (v === undefined ? '—' : <Yuan fen={v} />);
  const columns: TableColumnsType<Item> = [
    { title: t('invcust.rechargeRef'), dataIndex: 'rechargeRef', width: 220, ellipsis: true },
    {
      title: t('record.receiptNo'),
      key: 'receipt',
      width: 150,
      render: (_, i) => i.record?.receiptNo ?? <Typography.Text type="danger">{t('invreq.notCredited')}</Typography.Text>,
    },
    { title: t('record.creditedAt'), key: 'at', width: 160, render: (_, i) => (i.record ? formatTime(i.record.creditedAt) : '—') },
    { title: t('invcust.paid'), key: 'paid', width: 110, align: 'right', render: (_, i) => money(i.record?.amount) },
    { title: t('invcust.invoiced'), key: 'invoiced', width: 110, align: 'right', render: (_, i) => money(i.record?.invoiced) },
    { title: t('invreq.heldHere'), key: 'held', width: 110, align: 'right', render: (_, i) => <Yuan fen={i.held} strong /> },
    { title: t('invcust.invoiceable'), key: 'free', width: 110, align: 'right', render: (_, i) => money(i.record?.invoiceable) },
  ];
  return (
    <Flex vertical gap={8} data-testid={`invreq-detail-${id}`} style={{ padding: '4px 0' }}>
      <Descriptions size="small" column={4} styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('invreq.field.address')}>{dash(b.address)}</Descriptions.Item>
        <Descriptions.Item label={t('invreq.field.phone')}>{dash(b.phone)}</Descriptions.Item>
        <Descriptions.Item label={t('invreq.field.bankName')}>{dash(b.bankName)}</Descriptions.Item>
        <Descriptions.Item label={t('invreq.field.bankAccount')}>{dash(b.bankAccount)}</Descriptions.Item>
        <Descriptions.Item label={t('invreq.field.email')}>{dash(b.email)}</Descriptions.Item>
        <Descriptions.Item label={t('invreq.field.naturalPerson')}>{b.naturalPerson ? t('common.yes') : t('common.no')}</Descriptions.Item>
        <Descriptions.Item label={t('invreq.field.remarks')} span={2}>
          {dash(b.remarks)}
        </Descriptions.Item>
      </Descriptions>
      <Table<Item> rowKey="rechargeRef" size="small" bordered columns={columns} dataSource={page.items} pagination={false} />
    </Flex>
  );
}
