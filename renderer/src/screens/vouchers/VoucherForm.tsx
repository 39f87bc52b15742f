// Preparing a manual voucher: date, 凭证字, 附单据数 and lines of 摘要, a lowest-level account (科目编码 +
// 科目名称) and a debit or a credit in yuan, with the live 借贷差额. Keyboard: Tab between cells, Enter in
// the last line's amount adds a line, Ctrl+Enter saves. The server checks everything again.
import {
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Flex,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type InputRef,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { parseYuan } from '../../../../main/domain/money';
import { useI18n } from '../../i18n';
import { VoucherAmount, leafLabel, type LeafAccount } from './common';

interface Line {
  key: number;
  summary: string;
  accountId?: number;
  debit: string;
  credit: string;
}
type Word = '记' | '收' | '付' | '转';

let nextKey = 1;
const blank = (summary = ''): Line => ({ key: nextKey++, summary, debit: '', credit: '' });

/** Yuan typed → fen; '' → 0; null when it is not an amount. */
function fen(text: string): number | null {
  const s = text.trim().replaceAll(',', '');
  if (!s) return 0;
  try {
    const n = parseYuan(s);
    return n >= 0 ? n : null;
  } catch {
    return null;
  }
}

export function VoucherForm({ onCancel, onSaved }: { onCancel(): void; onSaved(id: number): void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const accounts: LeafAccount[] = useRead('vouchers.accounts').data ?? NO_ROWS;
  const [date, setDate] = useState<Dayjs>(() => dayjs());
  const [word, setWord] = useState<Word>('记');
  const [attachments, setAttachments] = useState<number>(0);
  const [lines, setLines] = useState<Line[]>(() => [blank(), blank()]);
  const prepare = useWrite('vouchers.prepare', ['vouchers.list']);
  const busy = prepare.busy;
  const summaries = useRef(new Map<number, InputRef | null>());
  const [focusKey, setFocusKey] = useState<number | null>(null);

  useEffect(() => {
    if (focusKey !== null) summaries.current.get(focusKey)?.focus();
  }, [focusKey]);

  const options = useMemo(() => accounts.map((a) => ({ value: a.accountId, label: leafLabel(a, lang) })), [accounts, lang]);
  const totals = lines.reduce((s, l) => ({ debit: s.debit + (fen(l.debit) ?? 0), credit: s.credit + (fen(l.credit) ?? 0) }), {
    debit: 0,
    credit: 0,
  });
  const difference = totals.debit - totals.credit;

  const change = (key: number, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const addLine = () => {
    const l = blank(lines[lines.length - 1]?.summary ?? '');
    setLines((ls) => [...ls, l]);
    setFocusKey(l.key);
  };

  const save = async () => {
    const filled = lines.filter((l) => l.summary.trim() || l.accountId !== undefined || l.debit.trim() || l.credit.trim());
    const input = [];
    for (const [i, l] of filled.entries()) {
      const d = fen(l.debit);
      const c = fen(l.credit);
      if (d === null || c === null) return void message.error(t('vouchers.form.badAmount', { n: i + 1 }));
      if (!l.summary.trim() || l.accountId === undefined || d > 0 === c > 0)
        return void message.error(t('vouchers.form.incomplete', { n: i + 1 }));
      input.push({ summary: l.summary.trim(), accountId: l.accountId, ...(d > 0 ? { debit: String(d) } : { credit: String(c) }) });
    }
    const v = await prepare.run({ date: date.format('YYYY-MM-DD'), word, attachments, lines: input });
    if (!v) return;
    void message.success(t('vouchers.prepared', { name: v.name }));
    onSaved(v.id);
  };

  const onKeys = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save();
    }
  };
  const amountKeys = (l: Line) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && l.key === lines[lines.length - 1]?.key) {
      e.preventDefault();
      addLine();
    }
  };

  const columns = [
    {
      title: t('vouchers.summary'),
      key: 'summary',
      width: 220,
      render: (_: unknown, l: Line, i: number) => (
        <Input
          ref={(r) => void summaries.current.set(l.key, r)}
          value={l.summary}
          maxLength={200}
          onChange={(e) => change(l.key, { summary: e.target.value })}
          data-testid={`line-${i}-summary`}
        />
      ),
    },
    {
      title: t('vouchers.subject'),
      key: 'account',
      render: (_: unknown, l: Line, i: number) => (
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          value={l.accountId}
          placeholder={t('vouchers.form.account')}
          options={options}
          style={{ width: '100%' }}
          onChange={(v: number) => change(l.key, { accountId: v })}
          data-testid={`line-${i}-account`}
        />
      ),
    },
    ...(['debit', 'credit'] as const).map((side) => ({
      title: t(`vouchers.${side}`),
      key: side,
      width: 150,
      render: (_: unknown, l: Line, i: number) => (
        <Input
          value={l[side]}
          status={fen(l[side]) === null ? ('error' as const) : undefined}
          style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}
          onChange={(e) => change(l.key, { [side]: e.target.value })}
          onKeyDown={amountKeys(l)}
          placeholder="0.00"
          data-testid={`line-${i}-${side}`}
        />
      ),
    })),
    {
      title: '',
      key: 'remove',
      width: 44,
      render: (_: unknown, l: Line) => (
        <Button
          type="text"
          icon={<DeleteOutlined />}
          aria-label={t('vouchers.form.removeLine')}
          disabled={lines.length <= 2}
          onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
          tabIndex={-1}
        />
      ),
    },
  ];

  return (
    <div onKeyDown={onKeys} style={{ maxWidth: 1000 }}>
      <Card title={t('vouchers.new')} data-testid="voucher-form">
        <Flex vertical gap={12}>
          <Space wrap size={16}>
            <Space>
              <Typography.Text>{t('vouchers.form.date')}</Typography.Text>
              <DatePicker value={date} allowClear={false} onChange={(d) => d && setDate(d)} data-testid="voucher-date" />
            </Space>
            <Space>
              <Typography.Text>{t('vouchers.form.word')}</Typography.Text>
              <Select<Word>
                value={word}
                onChange={setWord}
                style={{ width: 70 }}
                options={(['记', '收', '付', '转'] as const).map((w) => ({ value: w, label: w }))}
                data-testid="voucher-word"
              />
            </Space>
            <Space>
              <Typography.Text>{t('vouchers.form.attachments')}</Typography.Text>
              <InputNumber
                min={0}
                max={9999}
                precision={0}
                value={attachments}
                onChange={(n) => setAttachments(n ?? 0)}
                style={{ width: 80 }}
                data-testid="voucher-attachments"
              />
            </Space>
          </Space>
          <Table<Line>
            rowKey="key"
            size="small"
            bordered
            pagination={false}
            columns={columns}
            dataSource={lines}
            scroll={{ y: 300 }}
            data-testid="voucher-form-lines"
            summary={() => (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    <Space>
                      <Typography.Text strong>{t('vouchers.total')}</Typography.Text>
                      {difference === 0 && totals.debit > 0 ? (
                        <Tag color="green" data-testid="voucher-balanced">
                          {t('vouchers.form.balanced')}
                        </Tag>
                      ) : (
                        <Tag color="red" data-testid="voucher-difference">
                          {t('vouchers.form.difference')} <VoucherAmount fen={String(difference)} />
                        </Tag>
                      )}
                    </Space>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <VoucherAmount fen={String(totals.debit)} />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    <VoucherAmount fen={String(totals.credit)} />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} />
                </Table.Summary.Row>
              </Table.Summary>
            )}
          />
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Space>
              <Button icon={<PlusOutlined />} onClick={addLine} data-testid="voucher-add-line">
                {t('vouchers.form.addLine')}
              </Button>
              <Typography.Text type="secondary">{t('vouchers.form.keys')}</Typography.Text>
            </Space>
            <Space>
              <Button onClick={onCancel}>{t('common.cancel')}</Button>
              <Button type="primary" loading={busy} onClick={() => void save()} data-testid="voucher-save">
                {t('vouchers.form.save')}
              </Button>
            </Space>
          </Flex>
        </Flex>
      </Card>
    </div>
  );
}
