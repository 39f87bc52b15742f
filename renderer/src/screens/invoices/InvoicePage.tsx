// One invoice: serial, the tax platform's number, status, the buyer, amounts with the tax split, its
// lines (one per recharge, with the rate or 不征税), and — for a blue invoice — every red-letter
// reversal with what is left; for a red one, the original it reverses. An approver reverses what is
// left, in full or in part; the amount is never more than what remains (the books check it again).
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Flex,
  Input,
  Modal,
  Radio,
  Result,
  Select,
  Skeleton,
  Typography,
  type TableColumnsType,
} from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import type { Dayjs } from 'dayjs';
import { CardTable } from '../../components/CardTable';
import { call, type Data } from '../../api/coffer';
import { useInvalidate } from '../../api/queries';
import { errorText } from '../../app/errors';
import { useDetailRead } from '../../hooks/useDetailRead';
import { useDialogRun } from '../../hooks/useDialogRun';
import { useCan } from '../../app/session';
import { formatTime } from '../../format/dates';
import { moneyColumn } from '../../components/columns';
import { TotalRow } from '../../components/TotalRow';
import { ReasonBox } from '../../components/ReasonBox';
import { DetailHeader } from '../../components/DetailHeader';
import { useT } from '../../i18n';
import { nums, yuan, yuanInputToFen, Yuan } from '../approvals/common';
import { InvoiceStatusTag, invoiceTypeText, ratePercent } from './common';
import { Person } from '../../components/Person';

type Page = Data<'invoices.get'>;
type Line = Page['lines'][number];
type Reversal = Page['reversals'][number];
type Invoice = Page['invoice'];

/** An amount a red-letter invoice takes back: in red, with a minus. */
const reversed = (v: string) => (
  <Typography.Text type="danger">
    −<Yuan fen={v} />
  </Typography.Text>
);

const RED_CATEGORIES = ['开票有误', '销货退回', '服务中止', '销售折让'] as const;

export function InvoicePage({ id, onBack, onOpen }: { id: number; onBack(): void; onOpen(id: number): void }) {
  const t = useT();
  const { approver } = useCan();
  const [reversing, setReversing] = useState(false);
  const read = useDetailRead('invoices.get', { id });
  const page = read.data;
  const invalidate = useInvalidate();

  if (read.missing)
    return (
      <Result
        status="404"
        title={t('inv.notFound')}
        subTitle={errorText(read.missing, t)}
        extra={<Button onClick={onBack}>{t('common.back')}</Button>}
      />
    );
  if (!page) return <Skeleton active />;
  const inv = page.invoice;
  const blue = inv.kind === 'blue';
  const canReverse = approver && blue && BigInt(inv.left) > 0n;
  const dash = (v: string | null | undefined) => (v ? v : '—');

  const lineColumns: TableColumnsType<Line> = [
    { title: t('inv.line.no'), dataIndex: 'lineNo', width: 60 },
    { title: t('inv.line.item'), dataIndex: 'itemName', width: 200 },
    { title: t('inv.line.taxCode'), dataIndex: 'taxCode', width: 190, render: (v: string) => <span style={nums}>{v}</span> },
    { title: t('inv.line.receipt'), dataIndex: 'receiptNo', width: 160, render: (v: string | null) => dash(v) },
    { title: t('inv.line.rate'), key: 'rate', width: 90, align: 'right', render: (_, l) => ratePercent(t, l.rate, l.notTaxable) },
    moneyColumn('net', t('inv.net'), 130),
    moneyColumn('tax', t('inv.tax'), 110),
    moneyColumn('gross', t('inv.gross'), 130, { strong: true }),
  ];

  const reversalColumns: TableColumnsType<Reversal> = [
    {
      title: t('inv.redSerial'),
      dataIndex: 'serial',
      width: 170,
      render: (v: string, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} data-testid={`inv-reversal-${r.id}`}>
          {v}
        </Typography.Link>
      ),
    },
    { title: t('inv.issuedAt'), dataIndex: 'issuedAt', width: 170, render: (ms: number) => formatTime(ms) },
    {
      title: t('inv.gross'),
      dataIndex: 'gross',
      width: 130,
      align: 'right',
      render: reversed,
    },
    {
      title: t('inv.tax'),
      dataIndex: 'tax',
      width: 110,
      align: 'right',
      render: reversed,
    },
    {
      title: t('inv.taxNumber'),
      dataIndex: 'taxNumber',
      width: 200,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('inv.noNumber')}</Typography.Text>,
    },
    {
      title: t('inv.redForm'),
      dataIndex: 'confirmationNo',
      width: 210,
      render: (v: string | null, r) =>
        v ? (
          <Flex vertical>
            <span style={nums}>{v}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.redCategory ? t(`inv.redCategory.${r.redCategory}`) : ''}
              {r.buyerConfirmedOn ? ` · ${t('inv.buyerConfirmedOn', { date: r.buyerConfirmedOn })}` : ''}
            </Typography.Text>
          </Flex>
        ) : (
          '—'
        ),
    },
    { title: t('inv.reverseReason'), dataIndex: 'reason', ellipsis: true },
  ];

  return (
    <Flex vertical gap={12} data-testid="inv-page">
      <DetailHeader
        onBack={onBack}
        backTestId="inv-back"
        title={inv.serial}
        level={4}
        titleTestId="inv-serial"
        gap={12}
        actions={
          canReverse && (
            <Button danger icon={<RollbackOutlined />} onClick={() => setReversing(true)} data-testid="inv-reverse">
              {t('inv.reverse')}
            </Button>
          )
        }
      >
        <InvoiceStatusTag status={inv.status} testId="inv-page-status" />
      </DetailHeader>

      {!blue && inv.originalId && (
        <Alert
          type="error"
          showIcon
          data-testid="inv-red-of"
          title={
            <span>
              {t('inv.redOf')} <Typography.Link onClick={() => onOpen(inv.originalId!)}>{inv.originalSerial}</Typography.Link>
              {inv.blueNumber ? ` · ${t('inv.blueNumber')}：${inv.blueNumber}` : ''}
              {inv.confirmationNo ? ` · ${t('inv.redForm')}：${inv.confirmationNo}` : ''}
              {inv.redCategory ? `（${t(`inv.redCategory.${inv.redCategory}`)}）` : ''}
              {inv.reason ? ` · ${t('inv.reverseReason')}：${inv.reason}` : ''}
            </span>
          }
        />
      )}

      <Card size="small" title={t('inv.summary')} data-testid="inv-summary">
        <Flex gap={48} wrap>
          <Amount label={t('inv.gross')} fen={inv.gross} big red={!blue} testId="inv-gross" />
          <Amount label={t('inv.net')} fen={inv.net} red={!blue} />
          <Amount label={t('inv.tax')} fen={inv.tax} red={!blue} />
          {blue && <Amount label={t('inv.reversedAmount')} fen={inv.reversed} />}
          {blue && <Amount label={t('inv.left')} fen={inv.left} big testId="inv-left" />}
        </Flex>
      </Card>

      <Card size="small" title={t('inv.details')}>
        <Descriptions size="small" column={3} bordered data-testid="inv-details" styles={{ label: { width: 130, whiteSpace: 'nowrap' } }}>
          <Descriptions.Item label={t('inv.serial')}>{inv.serial}</Descriptions.Item>
          <Descriptions.Item label={t('inv.taxNumber')}>
            <span style={nums} data-testid="inv-number">
              {inv.taxNumber ?? <Typography.Text type="secondary">{t('inv.noNumber')}</Typography.Text>}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.invoiceType')}>{invoiceTypeText(t, inv.invoiceType)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.name')} span={2}>
            {inv.buyerName}
          </Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.taxpayerId')}>{dash(inv.taxpayerId)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.address')}>{dash(inv.address)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.phone')}>{dash(inv.phone)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.naturalPerson')}>
            {inv.naturalPerson ? t('common.yes') : t('common.no')}
          </Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.bankName')}>{dash(inv.bankName)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.bankAccount')}>{dash(inv.bankAccount)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.email')}>{dash(inv.email)}</Descriptions.Item>
          <Descriptions.Item label={t('appr.customer')}>
            <Typography.Link href={`#/customers/c/${inv.customerId}`}>{inv.customerName}</Typography.Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.issuedAt')}>{formatTime(inv.issuedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('inv.issuedBy')}>
            <Person who={inv.issuedByName} />
          </Descriptions.Item>
          <Descriptions.Item label={t('invreq.request')}>{dash(inv.requestRef)}</Descriptions.Item>
          <Descriptions.Item label={t('invreq.field.remarks')} span={2}>
            {dash(inv.remarks)}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <CardTable<Line>
        title={t('inv.lines')}
        testId="inv-lines"
        rowKey="lineNo"
        columns={lineColumns}
        dataSource={page.lines}
        scroll={{ x: 1000 }}
        summary={() => (
          <TotalRow
            words={t('inv.total')}
            span={5}
            amounts={[<Yuan fen={inv.net} />, <Yuan fen={inv.tax} />, <Yuan fen={inv.gross} strong />]}
          />
        )}
      />

      {blue && (
        <CardTable<Reversal>
          title={t('inv.reversals')}
          testId="inv-reversals"
          columns={reversalColumns}
          dataSource={page.reversals}
          scroll={{ x: 1000 }}
          empty={t('inv.noReversals')}
        />
      )}

      {canReverse && (
        <ReverseModal
          open={reversing}
          invoice={inv}
          onClose={(done) => {
            setReversing(false);
            // The reversal's refusal is said inside its dialog, so it is not a useWrite.
            if (done) void invalidate('invoices.get', 'invoices.list');
          }}
        />
      )}
    </Flex>
  );
}

function Amount({ label, fen, big, red, testId }: { label: string; fen: string; big?: boolean; red?: boolean; testId?: string }) {
  return (
    <Flex vertical>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <span style={{ ...nums, fontSize: big ? 22 : 16, fontWeight: 600, color: red ? '#cf1322' : undefined }} data-testid={testId}>
        {red ? '−' : ''}
        {yuan(fen)}
      </span>
    </Flex>
  );
}

/** 红冲: all that is left, or part of it; the remaining amount is shown and the part may not exceed it. */
function ReverseModal({ open, invoice, onClose }: { open: boolean; invoice: Invoice; onClose(done: boolean): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [mode, setMode] = useState<'full' | 'partial'>('full');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [confirmationNo, setConfirmationNo] = useState('');
  const [category, setCategory] = useState<(typeof RED_CATEGORIES)[number] | undefined>(undefined);
  const [buyerConfirmed, setBuyerConfirmed] = useState(false);
  const [confirmedOn, setConfirmedOn] = useState<Dayjs | null>(null);
  const { busy, error, setError, run } = useDialogRun();
  // A fresh form each time the dialog opens: a 红字确认单 number is used once.
  useEffect(() => {
    if (!open) return;
    setMode('full');
    setAmount('');
    setReason('');
    setConfirmationNo('');
    setCategory(undefined);
    setBuyerConfirmed(false);
    setConfirmedOn(null);
    setError(null);
  }, [open]);
  const special = invoice.invoiceType === 'special';
  const noNumber = invoice.taxNumber === null;
  const left = BigInt(invoice.left);
  const fen = mode === 'partial' ? yuanInputToFen(amount) : invoice.left;
  const amountError =
    mode === 'partial' && amount.trim()
      ? fen === null || BigInt(fen) <= 0n
        ? t('inv.reverseBadAmount')
        : BigInt(fen) > left
          ? t('inv.reverseTooMuch', { left: yuan(invoice.left) })
          : null
      : null;
  const valid = fen !== null && BigInt(fen) > 0n && BigInt(fen) <= left;
  const formReady = confirmationNo.trim() !== '' && category !== undefined && (!special || buyerConfirmed);
  const ready = valid && reason.trim().length >= 2 && formReady && !noNumber;

  const submit = () =>
    run(async () => {
      const r = await call('invoices.reverse', {
        id: invoice.id,
        reason: reason.trim(),
        ...(mode === 'partial' ? { amount: fen! } : {}),
        confirmationNo: confirmationNo.trim(),
        ...(category ? { category } : {}),
        ...(buyerConfirmed ? { buyerConfirmed: true, ...(confirmedOn ? { buyerConfirmedOn: confirmedOn.format('YYYY-MM-DD') } : {}) } : {}),
      });
      void message.success(t('inv.reversedDone', { serial: r.serial, amount: yuan(r.gross) }));
      onClose(true);
    });

  return (
    <Modal
      open={open}
      title={t('inv.reverseTitle', { serial: invoice.serial })}
      width={620}
      okText={t('inv.reverse')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, disabled: !ready, loading: busy, 'data-testid': 'inv-reverse-ok' }}
      onOk={() => void submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Descriptions size="small" column={1} bordered styles={{ label: { width: 180, whiteSpace: 'nowrap' } }}>
          <Descriptions.Item label={t('inv.gross')}>
            <Yuan fen={invoice.gross} />
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.reversedAmount')}>
            <Yuan fen={invoice.reversed} />
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.left')}>
            <span data-testid="inv-reverse-left">
              <Yuan fen={invoice.left} strong />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('inv.blueNumber')}>
            <span style={nums} data-testid="inv-reverse-blue-number">
              {invoice.taxNumber ?? <Typography.Text type="danger">{t('inv.noNumber')}</Typography.Text>}
            </span>
          </Descriptions.Item>
        </Descriptions>
        {noNumber && <Alert type="warning" showIcon title={t('inv.reverseNeedsNumber')} data-testid="inv-reverse-no-number" />}
        <Flex gap={8} wrap align="center">
          <Input
            value={confirmationNo}
            onChange={(e) => setConfirmationNo(e.target.value)}
            maxLength={40}
            placeholder={t('inv.redFormNo')}
            addonBefore={t('inv.redForm')}
            style={{ flex: '1 1 340px' }}
            data-testid="inv-reverse-form-no"
          />
          <Select
            value={category}
            onChange={(v) => setCategory(v)}
            placeholder={t('inv.redCategoryPick')}
            style={{ width: 150 }}
            options={RED_CATEGORIES.map((c) => ({ value: c, label: t(`inv.redCategory.${c}`) }))}
            data-testid="inv-reverse-category"
          />
        </Flex>
        {special && (
          <Flex gap={8} align="center" wrap>
            <Checkbox
              checked={buyerConfirmed}
              onChange={(e) => setBuyerConfirmed(e.target.checked)}
              data-testid="inv-reverse-buyer-confirmed"
            >
              {t('inv.buyerConfirmed')}
            </Checkbox>
            {buyerConfirmed && (
              <DatePicker
                value={confirmedOn}
                onChange={(d) => setConfirmedOn(d)}
                placeholder={t('inv.buyerConfirmedOnPick')}
                style={{ width: 230 }}
                disabledDate={(d) => d.valueOf() > Date.now()}
                data-testid="inv-reverse-confirmed-on"
              />
            )}
          </Flex>
        )}
        <Radio.Group
          value={mode}
          onChange={(e) => setMode(e.target.value as 'full' | 'partial')}
          options={[
            { value: 'full', label: <span data-testid="inv-reverse-full">{t('inv.reverseFull', { amount: yuan(invoice.left) })}</span> },
            { value: 'partial', label: <span data-testid="inv-reverse-partial">{t('inv.reversePartial')}</span> },
          ]}
        />
        {mode === 'partial' && (
          <Input
            autoFocus
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            suffix={t('appr.yuan')}
            status={amountError ? 'error' : undefined}
            placeholder={t('inv.reverseAmount')}
            style={{ width: 220 }}
            data-testid="inv-reverse-amount"
          />
        )}
        {amountError && <Typography.Text type="danger">{amountError}</Typography.Text>}
        {valid && (
          <Typography.Text data-testid="inv-reverse-after">
            {t('inv.reverseAfter', { amount: yuan(fen!), left: yuan(String(left - BigInt(fen!))) })}
          </Typography.Text>
        )}
        <ReasonBox
          value={reason}
          onChange={setReason}
          placeholder={t('inv.reverseReasonPlaceholder')}
          testId="inv-reverse-reason"
          rows={2}
          autoFocus={false}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('inv.reverseNote')}
        </Typography.Text>
        {error && <Alert type="error" showIcon title={error} data-testid="inv-reverse-error" />}
      </Flex>
    </Modal>
  );
}
