// 导出凭证: a month's posted vouchers in the import layout of the general ledger (金蝶 KIS / 用友). Shows
// what will leave before it does — posted and skipped vouchers, the template in use, the subject mapping
// and 客户辅助核算, earlier exports — and offers "force" only when vouchers were exported before, to an
// admin or approver. The file's place comes from the save dialog the main process opens.
import { Alert, App as AntApp, Checkbox, DatePicker, Descriptions, Flex, Modal, Radio, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, type Data, type JobResult } from '../../api/coffer';
import { useInvalidate, useRead } from '../../api/queries';
import { errorText, showError } from '../../app/errors';
import { useJobs } from '../../app/jobs';
import { useCan } from '../../app/session';
import { useDialogRun } from '../../hooks/useDialogRun';
import { ExportDone } from '../../components/ExportDone';
import { Hash } from '../../components/Hash';
import { formatTime } from '../../format/dates';
import { SmallTable } from '../../components/CardTable';
import { lookup, useT } from '../../i18n';
import { Person } from '../../components/Person';

type Format = 'kingdee' | 'yonyou';
type Status = Data<'vouchers.glStatus'>;
type Prior = Status['exports'][number];

const LISTED = 8;
const list = (names: string[]) => names.slice(0, LISTED).join('、') + (names.length > LISTED ? ' …' : '');

export function GlExportModal({ open, month: initial, onClose }: { open: boolean; month: Dayjs | null; onClose(): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { admin, approver } = useCan();
  const jobs = useJobs();
  const mayForce = admin || approver;
  const [month, setMonth] = useState<Dayjs>(initial ?? dayjs());
  const [format, setFormat] = useState<Format>('kingdee');
  const [force, setForce] = useState(false);
  const { busy, error, setError, run: runDialog } = useDialogRun();
  const [done, setDone] = useState<JobResult<'vouchers.glExport'> | null>(null);

  const status = useRead('vouchers.glStatus', { month: month.format('YYYY-MM') }, { enabled: open, keepPrevious: true }).data ?? null;
  const invalidate = useInvalidate();

  useEffect(() => {
    if (!open) return;
    const m = initial ?? dayjs();
    setMonth(m);
    setForce(false);
    setError(null);
    setDone(null);
  }, [open, initial]);

  const run = async () => {
    setDone(null);
    await runDialog(
      async () => {
        const r = await jobs.run('vouchers.glExport', { month: month.format('YYYY-MM'), format, ...(force ? { force: true } : {}) });
        setDone(r);
        setForce(false);
        await invalidate('vouchers.glStatus');
      },
      (e) => {
        if (e instanceof ApiError && e.code === 'CANCELLED') {
          /* the save dialog was closed */
        } else if (e instanceof ApiError) setError(errorText(e, t));
        else showError(message, e, t);
      },
    );
  };

  const template = status?.templates[format] ?? null;
  const missing = status?.missingColumn[format] ?? null;
  const again = status?.exportedBefore ?? [];
  const columns = [
    { title: t('glx.col.id'), dataIndex: 'id', width: 56, render: (id: number) => `#${id}` },
    { title: t('glx.col.format'), dataIndex: 'format', width: 110, render: (f: Format) => t(`glx.format.${f}`) },
    { title: t('glx.col.at'), dataIndex: 'exportedAt', width: 150, render: (ms: number) => formatTime(ms) },
    { title: t('glx.col.by'), dataIndex: 'exportedBy', width: 100, ellipsis: true, render: (u: string | null) => <Person who={u} /> },
    { title: t('glx.col.vouchers'), dataIndex: 'vouchers', width: 84, align: 'right' as const },
    { title: t('glx.col.file'), dataIndex: 'fileName', ellipsis: true },
    { key: 'forced', width: 56, render: (_: unknown, p: Prior) => (p.forced ? <Tag color="orange">{t('glx.forcedTag')}</Tag> : null) },
  ];

  return (
    <Modal
      open={open}
      width={760}
      title={t('glx.title')}
      okText={t('glx.run')}
      cancelText={t('common.close')}
      okButtonProps={{ loading: busy, disabled: !status?.posted || !!missing || (again.length > 0 && !force), 'data-testid': 'glx-run' }}
      onOk={() => void run()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12} data-testid="glx-dialog">
        <Flex gap={24} align="center" wrap>
          <Flex gap={8} align="center">
            <span>{t('glx.month')}</span>
            <DatePicker
              picker="month"
              allowClear={false}
              value={month}
              onChange={(m) => {
                if (!m) return;
                setMonth(m);
                setForce(false);
                setDone(null);
                setError(null);
              }}
              style={{ width: 120 }}
              data-testid="glx-month"
            />
          </Flex>
          <Flex gap={8} align="center">
            <span>{t('glx.format')}</span>
            <Radio.Group
              value={format}
              onChange={(e) => setFormat(e.target.value as Format)}
              options={(['kingdee', 'yonyou'] as const).map((f) => ({
                value: f,
                label: <span data-testid={`glx-format-${f}`}>{t(`glx.format.${f}`)}</span>,
              }))}
            />
          </Flex>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('glx.note')}
        </Typography.Text>
        {status && (
          <Descriptions size="small" column={2} bordered styles={{ label: { width: 150 } }} data-testid="glx-status">
            <Descriptions.Item label={t('glx.posted')}>
              <span data-testid="glx-posted">{t('glx.postedN', { n: status.posted })}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('glx.skipped')}>{t('glx.skippedN', { n: status.skipped.length })}</Descriptions.Item>
            <Descriptions.Item label={t('glx.template')}>
              <span data-testid="glx-template">
                {template ? t('glx.templateLoaded', { file: template.fileName, row: template.headerRow }) : t('glx.builtIn')}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('glx.aux')}>{status.customerAux ? t('glx.auxOn') : t('glx.auxOff')}</Descriptions.Item>
            <Descriptions.Item label={t('glx.mapping')} span={2}>
              {status.mapped ? t('glx.mappingN', { n: status.mapped }) : t('glx.mappingNone')}
            </Descriptions.Item>
          </Descriptions>
        )}
        {missing && (
          <Alert
            type="error"
            showIcon
            data-testid="glx-missing"
            title={t('glx.templateMissing', { format: t(`glx.format.${format}`), column: missing })}
          />
        )}
        {again.length > 0 && !done && (
          <Alert
            type="warning"
            showIcon
            data-testid="glx-exported-before"
            title={t('glx.exportedBefore', { n: again.length, list: list(again) })}
            description={
              mayForce ? (
                <Checkbox checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="glx-force">
                  {t('glx.force')}
                </Checkbox>
              ) : (
                t('glx.forceNeedsRole')
              )
            }
          />
        )}
        {error && <Alert type="error" showIcon title={error} data-testid="glx-error" />}
        {done && (
          <ExportDone testId="glx-done" title={t('glx.done')} fileLabel={t('glx.file')} path={done.path}>
            <Descriptions.Item label="SHA-256">
              <Hash value={done.sha256} />
            </Descriptions.Item>
            <Descriptions.Item label={t('glx.col.vouchers')}>
              <span data-testid="glx-counts">{t('glx.counts', { vouchers: done.vouchers, lines: done.lines })}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('glx.template')}>{done.template ?? t('glx.builtIn')}</Descriptions.Item>
            {done.forced && (
              <Descriptions.Item label={t('glx.forcedTag')}>{t('glx.forcedAgain', { list: list(done.again) })}</Descriptions.Item>
            )}
            {done.skipped.length > 0 && (
              <Descriptions.Item label={t('glx.skippedList')}>
                <span data-testid="glx-skipped">
                  {done.skipped.map((s) => `${s.name} ${lookup(t, `glx.status.${s.status}`, s.status)}`).join('、')}
                </span>
              </Descriptions.Item>
            )}
          </ExportDone>
        )}
        {status && status.exports.length > 0 && (
          <>
            <Typography.Text strong>{t('glx.history')}</Typography.Text>
            <SmallTable<Prior> testId="glx-history" columns={columns} dataSource={status.exports} scroll={{ y: 160 }} />
          </>
        )}
      </Flex>
    </Modal>
  );
}
