// One voucher in the standard 记账凭证 layout (摘要 | 会计科目 | 借方金额 | 贷方金额, 合计, 制单/审核), with
// review (审核 / 作废) for an approver who did not prepare it and the red voucher for a posted manual one.
import {
  App as AntApp,
  Alert,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useRead, useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { formatTime } from '../../format/dates';
import { SmallTable } from '../../components/CardTable';
import { TotalRow } from '../../components/TotalRow';
import { useI18n } from '../../i18n';
import { StatusTag, VoucherAmount, personText, subjectText, type VoucherDetail, type VoucherLine } from './common';

export function VoucherPage({ id, onBack, onOpen }: { id: number; onBack(): void; onOpen(id: number): void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const can = useCan();
  const [reversing, setReversing] = useState(false);
  const read = useRead('vouchers.get', { id });
  const v = read.data;
  const reviewWrite = useWrite('vouchers.review', ['vouchers.get', 'vouchers.list']);
  const busy = reviewWrite.busy;

  const review = async (approve: boolean) => {
    if (!v) return;
    const r = await reviewWrite.run({ id: v.id, approve });
    // Refused: show the voucher as it now is.
    if (!r) return void read.refetch();
    void message.success(t(approve ? 'vouchers.posted' : 'vouchers.voided', { name: r.name }));
  };

  if (!v) return null;
  const own = v.preparedById === can.staffId;
  const red = v.reversesId !== null;
  const columns = [
    { title: t('vouchers.summary'), dataIndex: 'summary', ellipsis: true },
    { title: t('vouchers.subject'), key: 'subject', ellipsis: true, render: (_: unknown, l: VoucherLine) => subjectText(l, lang) },
    {
      title: t('vouchers.debit'),
      dataIndex: 'debit',
      width: 150,
      align: 'right' as const,
      render: (fen: string) => <VoucherAmount fen={fen} blankZero />,
    },
    {
      title: t('vouchers.credit'),
      dataIndex: 'credit',
      width: 150,
      align: 'right' as const,
      render: (fen: string) => <VoucherAmount fen={fen} blankZero />,
    },
  ];

  return (
    <Flex vertical gap={12} style={{ maxWidth: 980 }}>
      <Flex justify="space-between" align="center">
        <Button icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="voucher-back">
          {t('vouchers.back')}
        </Button>
        <Space>
          {v.status === 'draft' && v.source === 'manual' && can.approver && (
            <>
              <Tooltip title={own ? t('vouchers.ownVoucher') : undefined}>
                <Button type="primary" disabled={own} loading={busy} onClick={() => void review(true)} data-testid="voucher-approve">
                  {t('vouchers.approve')}
                </Button>
              </Tooltip>
              <Popconfirm
                title={t('vouchers.voidConfirm', { name: v.name })}
                okText={t('vouchers.void')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true, 'data-testid': 'voucher-void-confirm' }}
                onConfirm={() => void review(false)}
                disabled={own}
              >
                <Button danger disabled={own} loading={busy} data-testid="voucher-void">
                  {t('vouchers.void')}
                </Button>
              </Popconfirm>
            </>
          )}
          {can.counter && v.status === 'posted' && v.source === 'manual' && !red && v.reversedById === null && (
            <Button danger onClick={() => setReversing(true)} data-testid="voucher-reverse">
              {t('vouchers.reverse')}
            </Button>
          )}
        </Space>
      </Flex>
      {v.source !== 'manual' && <Alert type="info" showIcon title={t('vouchers.automaticNote')} />}
      <Card data-testid="voucher-detail" styles={{ body: { padding: 20 } }}>
        <Flex vertical gap={12}>
          <Flex justify="center" align="center" gap={8}>
            <Typography.Title level={4} style={{ margin: 0, letterSpacing: lang === 'en' ? 0 : 4, color: red ? '#cf1322' : undefined }}>
              {t('vouchers.heading')}
            </Typography.Title>
            <StatusTag v={v} />
          </Flex>
          <Flex justify="space-between">
            <Typography.Text>
              {t('vouchers.date')}：{v.date}
            </Typography.Text>
            <Typography.Text strong data-testid="voucher-name">
              {v.name}
            </Typography.Text>
            <Typography.Text>{t('vouchers.attachments', { n: v.attachments })}</Typography.Text>
          </Flex>
          {(v.reversesName || v.reversedByName) && (
            <Space>
              {v.reversesName && v.reversesId !== null && (
                <Typography.Link onClick={() => onOpen(v.reversesId!)} data-testid="voucher-reverses">
                  {t('vouchers.reverses', { name: v.reversesName })}
                </Typography.Link>
              )}
              {v.reversedByName && v.reversedById !== null && (
                <Typography.Link onClick={() => onOpen(v.reversedById!)} data-testid="voucher-reversed-by">
                  {t('vouchers.reversedBy', { name: v.reversedByName })}
                </Typography.Link>
              )}
            </Space>
          )}
          <SmallTable<VoucherLine>
            testId="voucher-lines"
            rowKey="lineNo"
            bordered
            columns={columns}
            dataSource={v.lines}
            scroll={{ y: 300 }}
            summary={() => (
              <Table.Summary fixed>
                <TotalRow
                  words={t('vouchers.total')}
                  span={2}
                  amounts={[<VoucherAmount fen={v.debitTotal} />, <VoucherAmount fen={v.creditTotal} />]}
                />
              </Table.Summary>
            )}
          />
          <Flex justify="space-between" wrap gap={8}>
            <Typography.Text data-testid="voucher-preparer">
              {t('vouchers.preparer')}：{personText(v.preparedBy, t)}
            </Typography.Text>
            <Typography.Text data-testid="voucher-reviewer">
              {t('vouchers.reviewer')}：{v.reviewedBy ?? ''}
            </Typography.Text>
            {v.reviewedAt !== null && (
              <Typography.Text type="secondary">
                {t('vouchers.reviewedAt')}：{formatTime(v.reviewedAt)}
              </Typography.Text>
            )}
            {v.reviewNote && (
              <Typography.Text type="secondary">
                {t('vouchers.note')}：{v.reviewNote}
              </Typography.Text>
            )}
          </Flex>
        </Flex>
      </Card>
      <ReverseVoucherModal
        voucher={reversing ? v : null}
        onClose={() => setReversing(false)}
        onDone={(redId, name) => {
          setReversing(false);
          void message.success(t('vouchers.redPrepared', { name }));
          onOpen(redId);
        }}
      />
    </Flex>
  );
}

function ReverseVoucherModal({
  voucher,
  onClose,
  onDone,
}: {
  voucher: VoucherDetail | null;
  onClose(): void;
  onDone(id: number, name: string): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ date: Dayjs; reason: string }>();
  const reverse = useWrite('vouchers.reverse', ['vouchers.get', 'vouchers.list']);
  const busy = reverse.busy;
  const submit = async (f: { date: Dayjs; reason: string }) => {
    if (!voucher) return;
    const r = await reverse.run({ id: voucher.id, date: f.date.format('YYYY-MM-DD'), reason: f.reason });
    if (r) onDone(r.id, r.name);
  };
  return (
    <Modal
      open={voucher !== null}
      title={voucher ? t('vouchers.reverseTitle', { name: voucher.name }) : ''}
      okText={t('vouchers.reverse')}
      okButtonProps={{ danger: true, loading: busy, 'data-testid': 'voucher-reverse-confirm' }}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('vouchers.reverseIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(f) => void submit(f)} requiredMark={false} initialValues={{ date: dayjs() }}>
        <Form.Item name="date" label={t('vouchers.reverseDate')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} data-testid="voucher-reverse-date" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('vouchers.reason')}
          rules={[{ required: true, min: 2, message: t('vouchers.reasonPlaceholder') }]}
        >
          <Input autoFocus maxLength={500} placeholder={t('vouchers.reasonPlaceholder')} data-testid="voucher-reverse-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
