// 导出: the tax bureau's batch-import workbook of blue invoices (those selected, or a period and
// status), or the invoice register of a period with its monthly summary. The file's place comes from
// the save dialog the main process opens; a workbook the tax system would refuse is not written, and
// the problems are listed here, each naming the invoice and the column.
import { Alert, App as AntApp, Checkbox, DatePicker, Descriptions, Flex, Modal, Radio, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, type JobResult } from '../../api/coffer';
import { errorText, showError } from '../../app/errors';
import { useJobs } from '../../app/jobs';
import { useDialogRun } from '../../hooks/useDialogRun';
import { ExportDone } from '../../components/ExportDone';
import { useT } from '../../i18n';
import { exportProblemText, type ExportProblem } from './texts';
import { refusalText } from '../../i18n/refusal-text';
import { INVOICE_STATUSES, type InvoiceStatus } from './common';

type Kind = 'workbook' | 'register';
type BlueStatus = Exclude<InvoiceStatus, 'red'>;
const BLUE: BlueStatus[] = ['issued', 'partly_reversed', 'reversed'];

type Done = { kind: 'workbook'; r: JobResult<'invoices.export'> } | { kind: 'register'; r: JobResult<'invoices.exportRegister'> };

export function ExportModal({
  open,
  selected,
  range,
  onClose,
}: {
  open: boolean;
  selected: number[];
  range: [Dayjs | null, Dayjs | null] | null;
  onClose(): void;
}) {
  const t = useT();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const [kind, setKind] = useState<Kind>('workbook');
  const [scope, setScope] = useState<'selected' | 'filter'>('filter');
  const [period, setPeriod] = useState<[Dayjs | null, Dayjs | null] | null>(range);
  const [blue, setBlue] = useState<BlueStatus[]>(['issued', 'partly_reversed']);
  const [statuses, setStatuses] = useState<InvoiceStatus[]>([]);
  const [problems, setProblems] = useState<{ list: ExportProblem[]; count: number } | null>(null);
  const { busy, error, setError, run: runDialog } = useDialogRun();
  const [done, setDone] = useState<Done | null>(null);
  /** Refused because some invoices were exported before: their serials, and whether to force. */
  const [exportedBefore, setExportedBefore] = useState<{ serials: string[]; count: number } | null>(null);
  const [force, setForce] = useState(false);

  useEffect(() => {
    if (!open) return;
    setScope(selected.length ? 'selected' : 'filter');
    setPeriod(range);
    setProblems(null);
    setError(null);
    setDone(null);
    setExportedBefore(null);
    setForce(false);
  }, [open, selected.length, range]);

  const dates = () => ({
    ...(period?.[0] ? { from: period[0].format('YYYY-MM-DD') } : {}),
    ...(period?.[1] ? { to: period[1].format('YYYY-MM-DD') } : {}),
  });

  const run = async () => {
    setProblems(null);
    setDone(null);
    await runDialog(
      async () => {
        if (kind === 'workbook') {
          const input = {
            ...(scope === 'selected' ? { ids: selected } : { ...dates(), ...(blue.length ? { status: blue } : {}) }),
            ...(force && exportedBefore ? { force: true } : {}),
          };
          setDone({ kind, r: await jobs.run('invoices.export', input) });
          setExportedBefore(null);
          setForce(false);
        } else {
          setDone({ kind, r: await jobs.run('invoices.exportRegister', { ...dates(), ...(statuses.length ? { status: statuses } : {}) }) });
        }
      },
      (e) => {
        if (e instanceof ApiError && e.code === 'REFUSED' && Array.isArray(e.details.problems)) {
          setProblems({
            list: e.details.problems as ExportProblem[],
            count: Number(e.details.count ?? (e.details.problems as unknown[]).length),
          });
        } else if (e instanceof ApiError && e.details.reason === 'invoices_already_exported') {
          const list = (e.details.invoices ?? []) as { serial: string }[];
          setExportedBefore({
            serials: list.map((x) => x.serial),
            count: Number((e.details.params as { count?: string })?.count ?? list.length),
          });
          setError(errorText(e, t));
        } else if (e instanceof ApiError && e.code === 'NOT_FOUND') {
          setError(t('invexp.nothing'));
        } else if (e instanceof ApiError && e.code === 'CANCELLED') {
          /* the save dialog was closed: nothing to say */
        } else if (e instanceof ApiError) {
          setError(errorText(e, t));
        } else showError(message, e, t);
      },
    );
  };

  return (
    <Modal
      open={open}
      width={720}
      title={t('invexp.title')}
      okText={t('invexp.run')}
      cancelText={t('common.close')}
      okButtonProps={{
        loading: busy,
        disabled: kind === 'workbook' && scope === 'selected' && !selected.length,
        'data-testid': 'invexp-run',
      }}
      onOk={() => void run()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={14} data-testid="invexp-dialog">
        <Radio.Group
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={[
            { value: 'workbook', label: <span data-testid="invexp-kind-workbook">{t('invexp.workbook')}</span> },
            { value: 'register', label: <span data-testid="invexp-kind-register">{t('invexp.register')}</span> },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {kind === 'workbook' ? t('invexp.workbookNote') : t('invexp.registerNote')}
        </Typography.Text>
        {kind === 'workbook' && (
          <Radio.Group value={scope} onChange={(e) => setScope(e.target.value as 'selected' | 'filter')}>
            <Flex vertical gap={6}>
              <Radio value="selected" disabled={!selected.length} data-testid="invexp-scope-selected">
                {t('invexp.scopeSelected', { n: selected.length })}
              </Radio>
              <Radio value="filter" data-testid="invexp-scope-filter">
                {t('invexp.scopeFilter')}
              </Radio>
            </Flex>
          </Radio.Group>
        )}
        {(kind === 'register' || scope === 'filter') && (
          <Flex vertical gap={10} style={{ paddingInlineStart: kind === 'workbook' ? 24 : 0 }}>
            <Flex gap={8} align="center">
              <span style={{ width: 72 }}>{t('invexp.period')}</span>
              <DatePicker.RangePicker allowEmpty={[true, true]} value={period} onChange={(v) => setPeriod(v)} data-testid="invexp-period" />
            </Flex>
            <Flex gap={8} align="center">
              <span style={{ width: 72 }}>{t('inv.statusLabel')}</span>
              {kind === 'workbook' ? (
                <Checkbox.Group
                  value={blue}
                  onChange={(v) => setBlue(v as BlueStatus[])}
                  options={BLUE.map((s) => ({ value: s, label: t(`inv.status.${s}`) }))}
                />
              ) : (
                <Checkbox.Group
                  value={statuses}
                  onChange={(v) => setStatuses(v as InvoiceStatus[])}
                  options={INVOICE_STATUSES.map((s) => ({ value: s, label: t(`inv.status.${s}`) }))}
                />
              )}
            </Flex>
            {kind === 'register' && !statuses.length && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('invexp.allStatuses')}
              </Typography.Text>
            )}
          </Flex>
        )}

        {problems && (
          <Alert
            type="error"
            showIcon
            data-testid="invexp-problems"
            title={t('invexp.refused', { n: problems.count })}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 220, overflow: 'auto' }}>
                {problems.list.map((p, i) => (
                  <li key={i}>{exportProblemText(t, p)}</li>
                ))}
                {problems.count > problems.list.length && <li>{t('invexp.more', { n: problems.count - problems.list.length })}</li>}
              </ul>
            }
          />
        )}
        {error && <Alert type="warning" showIcon title={error} data-testid="invexp-error" />}
        {exportedBefore && kind === 'workbook' && (
          <Checkbox checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="invexp-force">
            {t('invexp.force', { n: exportedBefore.count })}
          </Checkbox>
        )}
        {done && (
          <ExportDone testId="invexp-done" title={t('invexp.written')} fileLabel={t('invexp.file')} path={done.r.path}>
            <Descriptions.Item label={t('invexp.contents')}>
              {done.kind === 'workbook'
                ? t('invexp.workbookCounts', { invoices: done.r.invoices, lines: done.r.lines })
                : t('invexp.registerCounts', { invoices: done.r.invoices, months: done.r.months })}
            </Descriptions.Item>
            {done.kind === 'workbook' && (
              <Descriptions.Item label={t('invexp.template')}>{done.r.template ?? t('invexp.builtIn')}</Descriptions.Item>
            )}
            {done.kind === 'workbook' && (
              <Descriptions.Item label={t('invexp.mark')}>
                <span data-testid="invexp-mark">
                  {t('invexp.markText', { id: done.r.exportId, sha: done.r.sha256.slice(0, 12) })}
                  {done.r.forced ? ` · ${t('invexp.forced')}` : ''}
                </span>
              </Descriptions.Item>
            )}
            {done.kind === 'workbook' && done.r.againCount > 0 && (
              <Descriptions.Item label={t('invexp.again')}>
                <span data-testid="invexp-again">
                  {t('invexp.againText', { n: done.r.againCount })}
                  {done.r.again.map((x) => x.serial).join('、')}
                </span>
              </Descriptions.Item>
            )}
            {done.kind === 'workbook' && done.r.skippedCount > 0 && (
              <Descriptions.Item label={t('invexp.skipped')}>
                <Flex vertical data-testid="invexp-skipped">
                  {done.r.skipped.map((x) => (
                    <span key={x.serial}>{refusalText(t, x)}</span>
                  ))}
                  {done.r.skippedCount > done.r.skipped.length && (
                    <span>{t('invexp.more', { n: done.r.skippedCount - done.r.skipped.length })}</span>
                  )}
                </Flex>
              </Descriptions.Item>
            )}
          </ExportDone>
        )}
      </Flex>
    </Modal>
  );
}
