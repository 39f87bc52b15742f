// A recharge record (充值记录): what was paid and credited, the bank evidence, the conversion rule
// version with the snapshot it was priced by, who matched and who approved, and whether it was
// reversed. Print shows the printable page (records.html) in a sandboxed frame and saves it as PDF
// (HTML where the shell has no printer); an approver who did not approve it may reverse it, and the
// refund a reversal leaves payable is matched here to the bank's money-out line.
import { Alert, App as AntApp, Button, Card, Descriptions, Flex, Modal, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { ApiError, call } from '../../api/coffer';
import { useInvalidate } from '../../api/queries';
import { errorText, showError } from '../../app/errors';
import { useDetailRead } from '../../hooks/useDetailRead';
import { useJobs } from '../../app/jobs';
import { useCan } from '../../app/session';
import { formatTime } from '../../format/dates';
import { ReasonBox } from '../../components/ReasonBox';
import { lookup, useI18n, useT, type TFunction } from '../../i18n';
import { ruleName } from '../reconciliation/shared';
import type { MethodOutput } from '../../../../main/api/contract';
import type { Tier } from '../../../../main/domain/conversion';
import { channelText, coins, Coins, RuleVersion, Yuan, yuan } from '../approvals/common';
import { RefundCard } from './RefundCard';
import { People, useStaffNames, type StaffNames } from '../../components/Person';
import { PrintPreview, usePrintable } from '../../components/PrintPreview';

type Evidence = MethodOutput<'records.get'>['evidence'][number];

export function rateText(t: TFunction, r: { coins: number; perFen: number; rounding: string }): string {
  return t('conv.rateText', {
    coins: coins(r.coins),
    yuan: yuan(r.perFen),
    rounding: lookup(t, `conv.rounding.${r.rounding}`, r.rounding),
  });
}

export function tierText(t: TFunction, tier: Tier): string {
  const parts: string[] = [];
  if (tier.bonusCoins) parts.push(t('conv.tierCoins', { n: coins(tier.bonusCoins) }));
  if (tier.bonusBp) parts.push(t('conv.tierPercent', { p: (tier.bonusBp / 100).toString() }));
  return t('conv.tierText', { from: yuan(tier.fromFen), bonus: parts.join(' + ') || '0' });
}

function matchedText(t: TFunction, names: StaffNames, m: { who: string; ranBy: string | null }): string {
  if (m.who.startsWith('rule:')) {
    const rule = ruleName(m.who.slice(5).trim(), t);
    return m.ranBy ? t('record.matchedByRule', { rule, who: names.name(m.ranBy) }) : t('record.matchedByRuleOnly', { rule });
  }
  return names.name(m.who);
}

export function RecordPage({ id, onBack }: { id: number; onBack(): void }) {
  const t = useT();
  const { lang } = useI18n();
  const names = useStaffNames();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const can = useCan();
  const read = useDetailRead('records.get', { id });
  const rec = read.data;
  const invalidate = useInvalidate();
  const printable = usePrintable({
    html: () => call('records.html', { id, lang }),
    print: () => jobs.run('records.print', { id, lang }),
    savedTitle: { pdf: t('record.savedPdf'), html: t('record.savedHtml') },
    savedTestId: 'record-saved',
  });
  const [reversing, setReversing] = useState(false);
  const [reason, setReason] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reverse = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      await call('records.reverse', { id, reason: reason.trim() });
      void message.success(t('record.reversedDone'));
      setReversing(false);
      setReason('');
      // Not through useWrite: a refusal is said inside the dialog, not as a message.
      await invalidate('records.get', 'records.list', 'refunds.list');
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'REFUSED' || e.code === 'FORBIDDEN' || e.code === 'CONFLICT')) setRefusal(errorText(e, t));
      else showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };

  if (read.missing)
    return <Result status="404" title={t('record.notFound')} extra={<Button onClick={onBack}>{t('common.back')}</Button>} />;
  if (!rec) return null;

  const ownApproval = rec.approvedBy.includes(can.username);
  const channelRate = rec.rule.channels?.[rec.channel];
  const rate = {
    coins: channelRate?.coins ?? rec.rule.coins,
    perFen: channelRate?.perFen ?? rec.rule.perFen,
    rounding: channelRate?.rounding ?? rec.rule.rounding,
  };
  const firstBonus = rec.firstRecharge && (rec.rule.firstRechargeBonusCoins || rec.rule.firstRechargeBonusBp);

  const reverseButton = (
    <Button
      danger
      icon={<RollbackOutlined />}
      disabled={!!rec.reversedAt || ownApproval}
      onClick={() => {
        setRefusal(null);
        setReversing(true);
      }}
      data-testid="record-reverse"
    >
      {t('record.reverse')}
    </Button>
  );

  return (
    <Flex vertical gap={12} data-testid="record-page">
      <Card
        size="small"
        title={
          <Space size={12}>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('common.back')} />
            <span>{t('record.title', { no: rec.receiptNo })}</span>
            {rec.reversedAt ? (
              <Tag color="red" data-testid="record-state">
                {t('record.reversed')}
              </Tag>
            ) : (
              <Tag color="green" data-testid="record-state">
                {t('record.credited')}
              </Tag>
            )}
          </Space>
        }
        extra={
          <Space>
            <Button icon={<PrinterOutlined />} onClick={() => void printable.openPreview()} data-testid="record-preview">
              {t('record.print')}
            </Button>
            <Button icon={<FilePdfOutlined />} loading={printable.saving} onClick={() => void printable.save()} data-testid="record-save">
              {t('record.savePdf')}
            </Button>
            {can.approver &&
              (ownApproval && !rec.reversedAt ? <Tooltip title={t('record.ownApproval')}>{reverseButton}</Tooltip> : reverseButton)}
          </Space>
        }
      >
        {rec.reversedAt && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('record.reversedAt', { at: formatTime(rec.reversedAt) })}
            description={rec.reversalReason}
            data-testid="record-reversal"
          />
        )}
        <Descriptions size="small" bordered column={2} data-testid="record-details" styles={{ label: { width: 150 } }}>
          <Descriptions.Item label={t('appr.customer')}>
            <Typography.Link href={`#/customers/c/${rec.customerId}`}>{rec.customerName}</Typography.Link> · {rec.account}
          </Descriptions.Item>
          <Descriptions.Item label={t('record.request')}>
            <Typography.Link href={`#/recharges/r/${rec.requestId}`}>{rec.requestRef}</Typography.Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('record.amountYuan')}>
            <Yuan fen={rec.amount} strong />
          </Descriptions.Item>
          <Descriptions.Item label={t('record.channel')}>{channelText(t, rec.channel)}</Descriptions.Item>
          <Descriptions.Item label={t('record.paidCoins')}>
            <Coins n={rec.paidCoins} strong />
          </Descriptions.Item>
          <Descriptions.Item label={t('record.bonusCoinsApart')}>
            <Coins n={rec.bonusCoins} />
          </Descriptions.Item>
          <Descriptions.Item label={t('record.creditedAt')}>{formatTime(rec.creditedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('record.firstRecharge')}>{rec.firstRecharge ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('record.matchedBy')}>
            {rec.matchedBy.map((m) => matchedText(t, names, m)).join('、') || t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('record.approvedBy')}>
            <People who={rec.approvedBy} />
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Flex gap={12} wrap>
        <Card size="small" title={t('record.ruleTitle')} style={{ flex: '1 1 420px' }} data-testid="record-rule">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('record.rule')}>
              <RuleVersion v={rec.ruleVersion} />
            </Descriptions.Item>
            <Descriptions.Item label={t('conv.rate')}>
              {rateText(t, rate)}
              {channelRate && <Tag style={{ marginInlineStart: 8 }}>{t('conv.channelOwn', { channel: channelText(t, rec.channel) })}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('conv.tierReached')}>{rec.tier ? tierText(t, rec.tier) : t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('conv.firstBonus')}>
              {firstBonus
                ? [
                    rec.rule.firstRechargeBonusCoins ? t('conv.tierCoins', { n: coins(rec.rule.firstRechargeBonusCoins) }) : '',
                    rec.rule.firstRechargeBonusBp ? t('conv.tierPercent', { p: String(rec.rule.firstRechargeBonusBp / 100) }) : '',
                  ]
                    .filter(Boolean)
                    .join(' + ')
                : t('common.none')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card size="small" title={t('record.evidence')} style={{ flex: '1 1 420px' }} styles={{ body: { padding: 0 } }}>
          <Table<Evidence>
            data-testid="record-evidence"
            size="small"
            rowKey={(e, i) => `${e.lineId ?? 'w'}-${i}`}
            pagination={false}
            dataSource={rec.evidence}
            columns={[
              {
                title: t('record.bankLine'),
                dataIndex: 'lineId',
                render: (v: number | null) => (v === null ? '—' : `#${v}`),
              },
              { title: t('record.kind'), dataIndex: 'kind', render: (k: string) => lookup(t, `record.kind.${k}`, k) },
              { title: t('appr.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => <Yuan fen={v} /> },
            ]}
          />
        </Card>
      </Flex>

      {rec.reversedAt && <RefundCard recordId={rec.id} key={rec.reversedAt} />}

      <PrintPreview
        printable={printable}
        title={t('record.previewTitle', { no: rec.receiptNo })}
        frameTitle={rec.receiptNo}
        width={860}
        height="62vh"
        saveText={t('record.savePdf')}
        frameTestId="record-preview-frame"
      />

      <Modal
        open={reversing}
        title={t('record.reverseTitle', { no: rec.receiptNo })}
        okText={t('record.reverse')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy, 'data-testid': 'reverse-ok' }}
        cancelText={t('common.cancel')}
        onOk={() => void reverse()}
        onCancel={() => {
          setReversing(false);
          setRefusal(null);
        }}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            {t('record.reverseText', { coins: coins(Number(rec.paidCoins) + Number(rec.bonusCoins)), yuan: yuan(rec.amount) })}
          </Typography.Paragraph>
          <ReasonBox value={reason} onChange={setReason} placeholder={t('record.reverseReason')} testId="reverse-reason" />
          {refusal && (
            <Alert type="error" showIcon data-testid="reverse-refused" title={t('record.reverseRefused')} description={refusal} />
          )}
        </Flex>
      </Modal>
    </Flex>
  );
}
