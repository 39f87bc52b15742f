// 收入确认: a month's revenue run. The figures the run would post now (preview), its state (missing,
// current, stale), the run button for approvers and admins (confirmed first, with the voucher it will
// post), the month's runs with their vouchers, and the posted run's share per customer (searchable,
// paged, with totals). The main process computes and decides.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Input,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { type Data } from '../../api/coffer';
import { NO_ROWS, useJobWrite, useRead } from '../../api/queries';
import { Amount } from '../../components/Amount';
import { useSession } from '../../app/session';
import { formatTime } from '../../format/dates';
import { formatAmount } from '../../format/money';
import { useDebounced } from '../../hooks/useDebounced';
import { usePageFor } from '../../hooks/usePageFor';
import { CardTable, SmallTable } from '../../components/CardTable';
import { coinsColumn, moneyColumn } from '../../components/columns';
import { ScreenHeading } from '../../components/ScreenHeading';
import { useT } from '../../i18n';

type Preview = Data<'revenue.preview'>;
type Run = Data<'revenue.runs'>[number];
type Line = Data<'revenue.lines'>['rows'][number];

const CNY = 1;
const COINS = 2;
const STATE_COLOR = { not_needed: 'default', missing: 'orange', current: 'green', stale: 'red' } as const;
const PAGE = 20;

function percent(num: number, den: number): string {
  return `${((num / den) * 100).toFixed(2).replace(/\.?0+$/, '')} %`;
}

function Figures({ f, rate }: { f: Preview['totals']; rate: { num: number; den: number } }) {
  const t = useT();
  const y = (k: keyof Preview['totals']) => <Amount minor={f[k]} ledger={CNY} />;
  const c = (k: keyof Preview['totals']) => <Amount minor={f[k]} ledger={COINS} />;
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
      <Descriptions.Item label={t('revenue.usedCoins')}>
        {c('usedCoins')}
        <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
          {t('revenue.spentCoins')} {formatAmount(f.spentCoins, COINS)} · {t('revenue.expiredCoins')} {formatAmount(f.expiredCoins, COINS)}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('revenue.value')}>{y('value')}</Descriptions.Item>
      <Descriptions.Item label={t('revenue.breakageAmount')}>{y('breakage')}</Descriptions.Item>
      <Descriptions.Item label={t('revenue.adjustment')}>{y('adjustment')}</Descriptions.Item>
      <Descriptions.Item label={t('revenue.gross')}>{y('gross')}</Descriptions.Item>
      <Descriptions.Item label={t('revenue.pretaxedTax')}>{y('pretaxedTax')}</Descriptions.Item>
      <Descriptions.Item label={`${t('revenue.revenue')} (6001)`}>
        <strong>{y('revenue')}</strong>
      </Descriptions.Item>
      <Descriptions.Item label={`${t('revenue.tax')} (222101, ${percent(rate.num, rate.den)})`}>
        <strong>{y('tax')}</strong>
      </Descriptions.Item>
      <Descriptions.Item label={t('revenue.closingCoins')}>{c('closingCoins')}</Descriptions.Item>
      <Descriptions.Item label={t('revenue.closingValue')}>{y('closingValue')}</Descriptions.Item>
    </Descriptions>
  );
}

function CustomerLines({ run }: { run: Run }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const text = useDebounced(search, 250);
  const [page, setPage] = usePageFor([text, run.id]);
  const data = useRead(
    'revenue.lines',
    { runId: run.id, search: text || undefined, offset: (page - 1) * PAGE, limit: PAGE },
    { keepPrevious: true },
  ).data ?? { rows: NO_ROWS as Line[], total: 0 };
  const columns: TableColumnsType<Line> = [
    {
      title: t('revenue.customer'),
      key: 'customer',
      ellipsis: true,
      render: (_, r) => (
        <a href={`#/customers/c/${r.customerId}`}>
          {r.customer}
          {r.externalId ? <Typography.Text type="secondary"> · {r.externalId}</Typography.Text> : null}
        </a>
      ),
    },
    coinsColumn('usedCoins', t('revenue.usedCoins'), 110),
    moneyColumn('gross', t('revenue.grossShort'), 130),
    moneyColumn('revenue', t('revenue.revenue'), 130),
    moneyColumn('tax', t('revenue.tax'), 130),
    coinsColumn('closingCoins', t('revenue.closingCoins'), 120),
    moneyColumn('closingValue', t('revenue.closingValueShort'), 130),
  ];
  return (
    <Card
      size="small"
      title={t('revenue.lines')}
      extra={
        <Input.Search
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t('revenue.search')}
          style={{ width: 260 }}
          data-testid="revenue-search"
        />
      }
    >
      <SmallTable<Line>
        testId="revenue-lines"
        rowKey="customerId"
        columns={columns}
        dataSource={data.rows}
        pagination={{ current: page, pageSize: PAGE, total: data.total, onChange: setPage, showSizeChanger: false, size: 'small' }}
        summary={() => (
          <Table.Summary fixed>
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <strong>{t('revenue.total')}</strong> <Typography.Text type="secondary">({run.customers})</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Amount minor={run.usedCoins} ledger={COINS} strong />
              </Table.Summary.Cell>
              {(['gross', 'revenue', 'tax'] as const).map((k, i) => (
                <Table.Summary.Cell key={k} index={i + 2} align="right">
                  <Amount minor={run[k]} ledger={CNY} strong />
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={5} align="right">
                <Amount minor={run.closingCoins} ledger={COINS} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                <Amount minor={run.closingValue} ledger={CNY} strong />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        )}
      />
    </Card>
  );
}

export default function RevenueScreen() {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const { session } = useSession();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().subtract(1, 'month').startOf('month'));
  const m = month.format('YYYY-MM');
  const preview = useRead('revenue.preview', { month: m }).data ?? null;
  const runs = useRead('revenue.runs', { month: m }).data ?? NO_ROWS;
  const runMonth = useJobWrite('revenue.run', ['revenue.preview', 'revenue.runs', 'revenue.lines']);
  const busy = runMonth.busy;

  const may = session.role === 'approver' || session.role === 'admin';
  const p = preview;
  const posted = runs.find((r) => r.status === 'posted') ?? null;
  const canRun =
    !!p &&
    p.monthEnded &&
    (p.state === 'missing' || p.state === 'stale' || (p.state === 'current' && p.reopened) || p.state === 'not_needed') &&
    !(p.state === 'not_needed' && posted);
  const again = !!p?.posted && (p.state === 'stale' || p.reopened);

  const run = () =>
    modal.confirm({
      title: again
        ? t('revenue.rerunConfirm', { month: m, voucher: p?.posted?.voucher?.name ?? '—' })
        : t('revenue.runConfirm', {
            month: m,
            gross: formatAmount(String(BigInt(p!.totals.gross) - BigInt(p!.totals.pretaxedTax)), CNY),
            revenue: formatAmount(p!.totals.revenue, CNY),
            tax: formatAmount(p!.totals.tax, CNY),
          }),
      okText: again ? t('revenue.rerun') : t('revenue.run'),
      onOk: async () => {
        const r = await runMonth.run({ month: m });
        if (r) {
          void message.success(
            r.voucher ? t('revenue.done', { month: m, voucher: r.voucher.name }) : t('revenue.doneNothing', { month: m }),
          );
        }
      },
    });

  const runColumns: TableColumnsType<Run> = [
    {
      title: t('revenue.state'),
      key: 'status',
      width: 100,
      render: (_, r) => <Tag color={r.status === 'posted' ? 'green' : 'default'}>{t(`revenue.runStatus.${r.status}`)}</Tag>,
    },
    {
      title: t('revenue.voucher'),
      key: 'voucher',
      width: 130,
      render: (_, r) => (r.voucher ? <a href={`#/vouchers/v/${r.voucher.id}`}>{r.voucher.name}</a> : '—'),
    },
    {
      title: t('revenue.revenue'),
      key: 'revenue',
      align: 'right',
      width: 130,
      render: (_, r) => <Amount minor={r.revenue} ledger={CNY} />,
    },
    { title: t('revenue.tax'), key: 'tax', align: 'right', width: 120, render: (_, r) => <Amount minor={r.tax} ledger={CNY} /> },
    { title: t('revenue.method'), key: 'method', width: 90, render: (_, r) => t(`revenue.method.${r.method}`) },
    {
      title: t('revenue.reversalVoucher'),
      key: 'reversal',
      width: 130,
      render: (_, r) => (r.reversalVoucher ? <a href={`#/vouchers/v/${r.reversalVoucher.id}`}>{r.reversalVoucher.name}</a> : '—'),
    },
    { title: t('revenue.runBy'), key: 'by', width: 110, ellipsis: true, render: (_, r) => r.runBy ?? '—' },
    { title: t('revenue.runAt'), key: 'at', width: 160, render: (_, r) => formatTime(r.runAt) },
  ];

  return (
    <Flex vertical gap={12} data-testid="revenue-screen">
      <ScreenHeading title={t('revenue.title')} intro={t('revenue.intro')} />
      <Flex gap={12} align="center" wrap>
        <span>{t('revenue.month')}</span>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          onChange={(d) => d && setMonth(d.startOf('month'))}
          data-testid="revenue-month"
        />
        {p && (
          <Tag color={STATE_COLOR[p.state]} data-testid="revenue-state">
            {t(`revenue.state.${p.state}`, { changes: String(p.changes) })}
          </Tag>
        )}
        {p?.reopened && <Tag color="gold">{t('revenue.reopened')}</Tag>}
        {may && (
          <Button type="primary" disabled={!canRun || busy} loading={busy} onClick={run} data-testid="revenue-run">
            {again ? t('revenue.rerun') : t('revenue.run')}
          </Button>
        )}
      </Flex>
      {p && !p.monthEnded && (
        <Alert type="info" showIcon message={t('revenue.notEnded', { lastDay: month.endOf('month').format('YYYY-MM-DD') })} />
      )}
      {p && (
        <Card
          size="small"
          title={t('revenue.preview')}
          extra={
            <Typography.Text type="secondary">
              {t('revenue.method')}：{t(`revenue.method.${p.method}`)} · {t('revenue.breakage')}：
              {p.breakageBp ? percent(p.breakageBp, 10_000) : t('revenue.breakageOff')} · {t('revenue.rate')}：
              {percent(p.rate.num, p.rate.den)} · {t('revenue.customers')} {p.customers}
            </Typography.Text>
          }
        >
          <Figures f={p.totals} rate={p.rate} />
        </Card>
      )}
      <CardTable<Run>
        title={t('revenue.runs')}
        testId="revenue-runs"
        columns={runColumns}
        dataSource={runs}
        locale={{ emptyText: t('revenue.noRun') }}
      />
      {posted && <CustomerLines run={posted} />}
    </Flex>
  );
}
