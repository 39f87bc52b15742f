// 工作台 (the console's start): what was recharged today and this month (money, coins, bonus apart),
// what waits at each stage of the day's work (each count opens the screen where it is done), the
// daily volume of the last 90 days, and what the platform owes its customers: coins outstanding in
// their wallets and the CNY prepayments.
import { Button, Card, Col, Flex, Row, Statistic, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { type Data } from '../../api/coffer';
import { useRead } from '../../api/queries';
import { lookup, useT, type MessageKey } from '../../i18n';
import { coins, nums, yuan } from '../approvals/common';
import { VolumeChart } from './VolumeChart';

type Sums = Data<'reports.dashboard'>['today'];

/** The stages in the order the day's work goes, where each is done, and what it counts. */
const STAGES: { key: string; label: MessageKey; area: string; of: (p: Record<string, number>) => number }[] = [
  { key: 'submitted', label: 'dash.stage.submitted', area: 'recharges', of: (p) => p.submitted ?? 0 },
  { key: 'partly_paid', label: 'dash.stage.partlyPaid', area: 'recharges', of: (p) => p.partly_paid ?? 0 },
  { key: 'unmatchedLines', label: 'dash.stage.unmatchedLines', area: 'reconciliation', of: (p) => p.unmatchedLines ?? 0 },
  { key: 'suggestions', label: 'dash.stage.suggestions', area: 'reconciliation', of: (p) => p.suggestions ?? 0 },
  { key: 'writeOffs', label: 'dash.stage.writeOffs', area: 'reconciliation', of: (p) => p.writeOffs ?? 0 },
  { key: 'toApprove', label: 'dash.stage.toApprove', area: 'approvals', of: (p) => (p.matched ?? 0) + (p.overpaid ?? 0) },
  { key: 'secondApproval', label: 'dash.stage.secondApproval', area: 'approvals', of: (p) => p.approved ?? 0 },
  { key: 'heldTransfers', label: 'dash.stage.heldTransfers', area: 'customers', of: (p) => p.heldTransfers ?? 0 },
  { key: 'rebinds', label: 'dash.stage.rebinds', area: 'customers', of: (p) => p.rebinds ?? 0 },
  { key: 'refundsPayable', label: 'dash.stage.refundsPayable', area: 'records', of: (p) => p.refundsPayable ?? 0 },
];

function SumsCard({ title, s, testId }: { title: string; s: Sums; testId: string }) {
  const t = useT();
  return (
    <Card size="small" title={title} data-testid={testId} style={{ height: '100%' }}>
      <Flex gap={32} wrap>
        <Statistic
          title={t('dash.money', { n: s.count })}
          value={yuan(s.money)}
          suffix={<span style={{ fontSize: 14 }}>{t('appr.yuan')}</span>}
          styles={{ content: nums }}
        />
        <Statistic title={t('dash.coins')} value={coins(s.coins)} styles={{ content: nums }} />
        <Statistic title={t('dash.bonus')} value={coins(s.bonus)} styles={{ content: { ...nums, color: '#389e0d' } }} />
      </Flex>
    </Card>
  );
}

export default function DashboardScreen() {
  const t = useT();
  const read = useRead('reports.dashboard');
  const d = read.data;

  if (!d) return null;
  const pending = d.pending;
  const total90 = d.volume.reduce((s, v) => s + BigInt(v.money), 0n);
  return (
    <Flex vertical gap={12} data-testid="dashboard">
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <SumsCard title={t('dash.today')} s={d.today} testId="dash-today" />
        </Col>
        <Col xs={24} xl={12}>
          <SumsCard title={t('dash.month')} s={d.month} testId="dash-month" />
        </Col>
      </Row>
      <Card
        size="small"
        title={t('dash.pendingTitle')}
        extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => void read.refetch()} aria-label={t('common.refresh')} />}
        data-testid="dash-pending"
      >
        <Flex wrap gap={8}>
          {STAGES.map((s) => {
            const n = s.of(pending);
            return (
              <Tooltip key={s.key} title={t('dash.openArea', { area: lookup(t, `nav.${s.area}`, s.area) })}>
                <a
                  href={`#/${s.area}`}
                  data-testid={`dash-stage-${s.key}`}
                  style={{
                    display: 'block',
                    minWidth: 118,
                    padding: '8px 12px',
                    border: '1px solid #f0f0f0',
                    borderRadius: 6,
                    background: n > 0 ? '#fffbe6' : '#fafafa',
                    color: 'inherit',
                  }}
                >
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(s.label)}
                  </Typography.Text>
                  <div style={{ ...nums, fontSize: 22, fontWeight: 600, color: n > 0 ? '#d48806' : '#bfbfbf' }}>
                    {n.toLocaleString('en-US')}
                  </div>
                </a>
              </Tooltip>
            );
          })}
        </Flex>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            title={t('dash.chartTitle')}
            extra={
              <Typography.Text type="secondary" style={nums}>
                {t('dash.chartTotal', { yuan: yuan(total90.toString()) })}
              </Typography.Text>
            }
          >
            <VolumeChart days={d.volume} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('dash.liabilityTitle')} data-testid="dash-liability" style={{ height: '100%' }}>
            <Flex vertical gap={16}>
              <Statistic title={t('dash.rechargeCoins')} value={coins(d.liability.rechargeCoins)} styles={{ content: nums }} />
              <Statistic title={t('dash.earningsCoins')} value={coins(d.liability.earningsCoins)} styles={{ content: nums }} />
              <Statistic
                title={t('dash.prepayments')}
                value={yuan(d.liability.prepaymentsFen)}
                suffix={<span style={{ fontSize: 14 }}>{t('appr.yuan')}</span>}
                styles={{ content: nums }}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dash.liabilityNote')}
              </Typography.Text>
            </Flex>
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
