// 结账: the months with their state; for the chosen month its checks, each with its figure and a link to
// what blocks it, and the actions the logged-in person may take: close (approver), confirm (another
// approver or an admin), ask to reopen and confirm reopening (two admins). The main process decides.
import { Alert, App as AntApp, Button, Card, Descriptions, Flex, Input, List, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, FileZipOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { type Data, type MethodName } from '../../api/coffer';
import { NO_ROWS, useJobWrite, useRead, useWrite } from '../../api/queries';
import { useJobs } from '../../app/jobs';
import { useSession } from '../../app/session';
import { formatTime } from '../../format/dates';
import { ScreenHeading } from '../../components/ScreenHeading';
import { lookup, useT, type TFunction } from '../../i18n';
import { useBusy } from '../../hooks/useBusy';

type Month = Data<'periods.list'>[number];
type Status = Data<'periods.status'>;
type Check = Status['checks'][number];

const STATE_COLOR = { open: 'default', closing: 'gold', closed: 'green' } as const;

function figure(c: Check, t: TFunction): string {
  const p = c.params;
  switch (c.name) {
    case 'month_ended':
    case 'earlier_months':
    case 'bank_statements':
    case 'verify':
      return t(`closing.fig.${c.name}.${c.ok ? 'ok' : 'bad'}`, p);
    case 'revenue_run':
      return lookup(t, `closing.fig.revenue_run.${p.state}`, p.state ?? '', p);
    case 'match_proposals':
    case 'writeoffs':
    case 'vouchers':
      return t('closing.fig.count', p);
    default:
      return c.message;
  }
}

function bankItem(i: NonNullable<Check['items']>[number], t: TFunction): string {
  const p = i.params;
  if (p.gapFile) return t('closing.fig.bank.gap', p);
  if (!p.reached) return t('closing.fig.bank.none', p);
  return t(i.ok ? 'closing.fig.bank.reached' : 'closing.fig.bank.short', p);
}

function CheckRow({ c }: { c: Check }) {
  const t = useT();
  const label = lookup(t, `closing.check.${c.name}`, c.name);
  return (
    <List.Item
      data-testid={`check-${c.name}`}
      extra={
        !c.ok && c.link ? (
          <Button size="small" href={c.link}>
            {t('closing.goTo')}
          </Button>
        ) : null
      }
    >
      <Space align="start">
        {c.ok ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />}
        <Flex vertical>
          <Typography.Text strong>{label}</Typography.Text>
          <Typography.Text type={c.ok ? 'secondary' : 'danger'}>{figure(c, t)}</Typography.Text>
          {c.items?.map((i) => (
            <Typography.Text key={i.ref} type={i.ok ? 'secondary' : 'danger'} style={{ fontSize: 12 }}>
              {bankItem(i, t)}
            </Typography.Text>
          ))}
        </Flex>
      </Space>
    </List.Item>
  );
}

export default function ClosingScreen() {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const { session } = useSession();
  const jobs = useJobs();
  const [picked, setMonth] = useState<string | null>(null);
  const [packing, runPack] = useBusy();
  const [reason, setReason] = useState('');

  const months = useRead('periods.list').data ?? NO_ROWS;
  // Until one is chosen: the first month not closed that has postings, else the newest.
  const month = picked ?? months.find((x) => x.state !== 'closed' && x.postings > 0)?.month ?? months[0]?.month ?? null;
  const status = useRead('periods.status', { month: month ?? '' }, { enabled: month !== null });

  const changes: MethodName[] = ['periods.list', 'periods.status'];
  const writes = {
    'periods.close': useJobWrite('periods.close', changes),
    'periods.confirm': useJobWrite('periods.confirm', changes),
    'periods.reopen': useWrite('periods.reopen', changes),
    'periods.confirmReopen': useWrite('periods.confirmReopen', changes),
  };
  const busy = packing || Object.values(writes).some((w) => w.busy);

  const act = async (method: keyof typeof writes) => {
    if (!month) return;
    const r = await (method === 'periods.reopen' ? writes[method].run({ month, reason }) : writes[method].run({ month }));
    if (!r) return;
    const done = r.unchanged
      ? t('closing.unchanged', { month })
      : method === 'periods.reopen'
        ? t('closing.done.requested', { month })
        : t(`closing.done.${r.state}`, { month });
    void message.success(done);
    setReason('');
  };

  const makePack = async () => {
    if (!month) return;
    await runPack(async () => {
      const r = await jobs.run('monthEnd.pack', { month, pdf: true });
      const file = (label: string, f: { path: string; bytes: number }, testId: string) => (
        <Flex vertical>
          <Typography.Text strong>{label}</Typography.Text>
          <Typography.Text copyable={{ text: f.path }} data-testid={testId}>
            {f.path}
          </Typography.Text>
          <Typography.Text type="secondary">{t('record.bytes', { n: f.bytes.toLocaleString('en-US') })}</Typography.Text>
        </Flex>
      );
      modal.success({
        title: t('closing.packSaved', { month: r.month }),
        content: (
          <Flex vertical gap={8} data-testid="pack-saved">
            {file(t('closing.packWorkbook'), r.workbook, 'pack-workbook')}
            {r.pdf && file(t('closing.packPdf'), r.pdf, 'pack-pdf')}
          </Flex>
        ),
      });
    });
  };

  const role = session.role;
  const s = status.data;
  const mine = (name: string | null) => name !== null && name === session.displayName;
  const actions = s && (
    <Space wrap>
      {s.state === 'open' && role === 'approver' && (
        <Button
          type="primary"
          disabled={!s.ready || busy}
          data-testid="close-month"
          onClick={() =>
            modal.confirm({
              title: t('closing.closeConfirm', { month: s.month }),
              onOk: () => act('periods.close'),
              okText: t('closing.close'),
            })
          }
        >
          {t('closing.close')}
        </Button>
      )}
      {s.state === 'closing' && (role === 'approver' || role === 'admin') && (
        <Button type="primary" disabled={busy || mine(s.closedBy)} data-testid="confirm-month" onClick={() => act('periods.confirm')}>
          {t('closing.confirm')}
        </Button>
      )}
      {s.state === 'closing' && mine(s.closedBy) && <Typography.Text type="secondary">{t('closing.yourOwn')}</Typography.Text>}
      {s.state !== 'open' && role === 'admin' && s.reopenRequestedBy === null && (
        <Space.Compact style={{ width: 420 }}>
          <Input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('closing.reasonPlaceholder')}
            aria-label={t('closing.reason')}
            data-testid="reopen-reason"
          />
          <Button danger disabled={busy || reason.trim().length < 2} data-testid="reopen-month" onClick={() => act('periods.reopen')}>
            {t('closing.reopen')}
          </Button>
        </Space.Compact>
      )}
      {s.state !== 'open' && role === 'admin' && s.reopenRequestedBy !== null && (
        <Button
          danger
          disabled={busy || mine(s.reopenRequestedBy)}
          data-testid="confirm-reopen"
          onClick={() => act('periods.confirmReopen')}
        >
          {t('closing.confirmReopen')}
        </Button>
      )}
      {s.reopenRequestedBy !== null && mine(s.reopenRequestedBy) && (
        <Typography.Text type="secondary">{t('closing.yourRequest')}</Typography.Text>
      )}
      <Button
        icon={<FileZipOutlined />}
        disabled={!s.ready || busy}
        title={t('closing.packHint')}
        data-testid="month-end-pack"
        onClick={() => void makePack()}
      >
        {t('closing.pack')}
      </Button>
    </Space>
  );

  return (
    <Flex vertical gap={12} data-testid="closing-screen">
      <ScreenHeading title={t('closing.title')} intro={t('closing.intro')} />
      <Flex gap={12} align="start">
        <Card size="small" title={t('closing.months')} style={{ width: 380, flex: 'none' }}>
          <Table
            size="small"
            rowKey="month"
            pagination={false}
            dataSource={months}
            scroll={{ y: 420 }}
            onRow={(r) => ({
              onClick: () => setMonth(r.month),
              style: { cursor: 'pointer', background: r.month === month ? '#e6f4ff' : undefined },
            })}
            columns={[
              { title: t('closing.month'), dataIndex: 'month', width: 90 },
              {
                title: t('closing.state'),
                dataIndex: 'state',
                width: 130,
                render: (v: Month['state']) => <Tag color={STATE_COLOR[v]}>{t(`closing.state.${v}`)}</Tag>,
              },
              { title: t('closing.postings'), dataIndex: 'postings', align: 'right' as const, width: 70 },
            ]}
          />
        </Card>
        <Card
          size="small"
          style={{ flex: 1, minWidth: 0 }}
          loading={!s && month !== null}
          title={s ? `${s.month} · ${t(`closing.state.${s.state}`)}` : ''}
          data-testid="period-card"
        >
          {s && (
            <Flex vertical gap={8}>
              <Descriptions
                size="small"
                column={2}
                items={[
                  { key: 'c', label: t('closing.closedBy'), children: s.closedBy ? `${s.closedBy} · ${formatTime(s.closedAt)}` : '—' },
                  {
                    key: 'f',
                    label: t('closing.confirmedBy'),
                    children: s.confirmedBy ? `${s.confirmedBy} · ${formatTime(s.confirmedAt)}` : '—',
                  },
                ]}
              />
              {s.reopenRequestedBy && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('closing.reopenRequested', { name: s.reopenRequestedBy, reason: s.reopenReason ?? '' })}
                />
              )}
              {s.timesReopened > 0 && (
                <Typography.Text type="secondary">{t('closing.timesReopened', { n: s.timesReopened })}</Typography.Text>
              )}
              {s.state === 'open' && (
                <Alert type={s.ready ? 'success' : 'info'} showIcon title={t(s.ready ? 'closing.ready' : 'closing.notReady')} />
              )}
              <Typography.Text strong>{t('closing.checks')}</Typography.Text>
              <List size="small" bordered dataSource={s.checks} renderItem={(c) => <CheckRow c={c} />} />
              {actions}
            </Flex>
          )}
        </Card>
      </Flex>
    </Flex>
  );
}
