// 数据导入: the platform's event files. Choose a file → it is read and checked as a job (progress) →
// the preview: events per type, already imported, and every bad line (line, field, reason) → Import
// (only for a file without errors: a file with any is refused whole) → progress → the result, with
// the events a business rule refused. Below, the history of imports with each one's refusals.
import { Alert, App as AntApp, Button, Flex, Space, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { CloudUploadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { ApiError, type JobResult } from '../../api/coffer';
import { NO_ROWS, useInvalidate, useRead } from '../../api/queries';
import { errorText } from '../../app/errors';
import { useJobs } from '../../app/jobs';
import { useCounter } from '../../app/session';
import { Hash } from '../../components/Hash';
import { CardTable } from '../../components/CardTable';
import { FileImportCard } from '../../components/FileImportCard';
import { formatTime } from '../../format/dates';
import { lookup, useT, type TFunction } from '../../i18n';
import { whyText } from '../customers/common';
import { fieldLabel, refusalText, type RefusalLike } from '../../i18n/refusal-text';
import { Person } from '../../components/Person';
import { Facts } from '../../components/Facts';
import { CellTag } from '../../components/CellTag';

type Preview = JobResult<'events.preview'>;
type Imported = JobResult<'events.import'>;
type LineError = Preview['errors'][number];
// events.imports / events.refused answer untyped rows (unknown[]): their shape, from the API's SQL.
interface ImportRow {
  id: number;
  fileName: string;
  sha256: string;
  lines: number;
  applied: number;
  refused: number;
  skipped: number;
  importedAt: number;
  importedBy: string | null;
}
interface Refused {
  id: string;
  type: string;
  at: number;
  reason: string;
  why: RefusalLike | null;
  importId: number;
  line: number | null;
}

type Stage =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'preview'; preview: Preview }
  | { kind: 'importing'; preview: Preview }
  | { kind: 'done'; result: Imported }
  | { kind: 'failed'; preview: Preview | null; message: string; errors: LineError[] };

const nums = { fontVariantNumeric: 'tabular-nums' } as const;

export function eventTypeLabel(type: string, t: TFunction): string {
  return lookup(t, `event.type.${type}`, type);
}

export default function ImportScreen() {
  const t = useT();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const mayImport = useCounter();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const historyRead = useRead('events.imports', { limit: 50 });
  const history = (historyRead.data ?? NO_ROWS) as ImportRow[];
  const invalidate = useInvalidate();

  const choose = async () => {
    setStage({ kind: 'reading' });
    try {
      setStage({ kind: 'preview', preview: await jobs.run('events.preview') });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CANCELLED') setStage({ kind: 'idle' });
      else failed(null, e);
    }
  };

  const failed = (preview: Preview | null, e: unknown) => {
    const errors = e instanceof ApiError && Array.isArray(e.details.errors) ? (e.details.errors as LineError[]) : [];
    setStage({ kind: 'failed', preview, message: errorText(e, t), errors });
  };

  const runImport = async (preview: Preview) => {
    setStage({ kind: 'importing', preview });
    try {
      const result = await jobs.run('events.import', { token: preview.token, sha256: preview.sha256 });
      setStage({ kind: 'done', result });
      void message.success(t('import.doneToast', { applied: result.applied, refused: result.refused }));
    } catch (e) {
      failed(preview, e);
    } finally {
      // The import job changed the history and whatever its events touched.
      void invalidate('events.imports', 'events.refused');
    }
  };

  const running = jobs.jobs.find((j) => (j.method === 'events.preview' || j.method === 'events.import') && j.status === 'running');
  const step = { idle: 0, reading: 0, preview: 1, importing: 2, done: 3, failed: 1 }[stage.kind];

  return (
    <Flex vertical gap={12} data-testid="import-screen">
      <FileImportCard
        title={t('import.title')}
        steps={[t('import.step.choose'), t('import.step.preview'), t('import.step.import'), t('import.step.result')]}
        step={step}
        failed={stage.kind === 'failed'}
        mayImport={mayImport}
        rolesOnly={t('import.rolesOnly')}
        idle={stage.kind === 'idle'}
        busy={stage.kind === 'reading' || stage.kind === 'importing'}
        onChoose={() => void choose()}
        chooseText={[t('import.choose'), t('import.chooseAnother')]}
        chooseTestId="import-choose"
        hint={t('import.formatHint')}
        progress={
          stage.kind === 'reading' || stage.kind === 'importing'
            ? { testId: 'import-progress', label: stage.kind === 'reading' ? t('import.reading') : t('import.applying'), job: running }
            : null
        }
      >
        {(stage.kind === 'preview' || stage.kind === 'importing') && (
          <PreviewView preview={stage.preview} busy={stage.kind === 'importing'} onImport={() => void runImport(stage.preview)} />
        )}
        {stage.kind === 'failed' && (
          <Flex vertical gap={12}>
            <Alert type="error" showIcon title={t('import.refusedWhole')} description={stage.message} data-testid="import-failed" />
            {stage.errors.length > 0 && <ErrorsTable errors={stage.errors} />}
          </Flex>
        )}
        {stage.kind === 'done' && <ResultView result={stage.result} />}
      </FileImportCard>
      <HistoryCard rows={history} onReload={() => void historyRead.refetch()} />
    </Flex>
  );
}

function PreviewView({ preview: p, busy, onImport }: { preview: Preview; busy: boolean; onImport(): void }) {
  const t = useT();
  const counts = Object.entries(p.counts).map(([type, n]) => ({ type, n: n ?? 0 }));
  const nothing = p.ok && p.toApply === 0;
  return (
    <Flex vertical gap={12} data-testid="import-preview">
      <Facts
        column={4}
        items={[
          { key: 'file', label: t('import.file'), span: 2, children: <Typography.Text strong>{p.file}</Typography.Text> },
          { key: 'sha', label: 'SHA-256', span: 2, children: <Hash value={p.sha256} /> },
          { key: 'lines', label: t('import.lines'), children: <span style={nums}>{p.lines.toLocaleString()}</span> },
          { key: 'events', label: t('import.events'), children: <span style={nums}>{p.events.toLocaleString()}</span> },
          {
            key: 'already',
            label: t('import.alreadyImported'),
            children: <span data-testid="preview-already">{p.alreadyImported.toLocaleString()}</span>,
          },
          { key: 'repeated', label: t('import.repeatedInFile'), children: p.repeatedInFile.toLocaleString() },
          {
            key: 'toApply',
            label: t('import.toApply'),
            children: (
              <Typography.Text strong data-testid="preview-to-apply">
                {p.toApply.toLocaleString()}
              </Typography.Text>
            ),
          },
          {
            key: 'errors',
            label: t('import.errorCount'),
            children: (
              <Typography.Text type={p.errorCount ? 'danger' : 'success'} strong data-testid="preview-error-count">
                {p.errorCount.toLocaleString()}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Flex gap={16} align="start" wrap>
        <Table
          data-testid="preview-counts"
          style={{ width: 420 }}
          rowKey="type"
          size="small"
          bordered
          pagination={false}
          dataSource={counts}
          columns={[
            { title: t('import.eventType'), dataIndex: 'type', render: (type: string) => eventTypeLabel(type, t) },
            {
              title: t('import.count'),
              dataIndex: 'n',
              width: 100,
              align: 'right',
              render: (n: number) => <span style={nums}>{n.toLocaleString()}</span>,
            },
          ]}
        />
        <Flex vertical gap={12} style={{ flex: 1, minWidth: 360 }}>
          {p.ok ? (
            <Alert
              type={nothing ? 'info' : 'success'}
              showIcon
              title={nothing ? t('import.nothingNew') : t('import.readyTitle', { n: p.toApply.toLocaleString() })}
              description={nothing ? undefined : t('import.readyText')}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              data-testid="preview-blocked"
              title={t('import.hasErrors', { n: p.errorCount.toLocaleString() })}
              description={t('import.hasErrorsText')}
            />
          )}
          <div>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              disabled={!p.ok || nothing}
              loading={busy}
              onClick={onImport}
              data-testid="import-run"
            >
              {t('import.run', { n: p.toApply.toLocaleString() })}
            </Button>
          </div>
        </Flex>
      </Flex>
      {p.errors.length > 0 && (
        <>
          {p.errorCount > p.errors.length && (
            <Typography.Text type="secondary">{t('import.errorsShown', { shown: p.errors.length, n: p.errorCount })}</Typography.Text>
          )}
          <ErrorsTable errors={p.errors} />
        </>
      )}
    </Flex>
  );
}

function ErrorsTable({ errors }: { errors: LineError[] }) {
  const t = useT();
  return (
    <Table<LineError & { key: number }>
      data-testid="import-errors"
      rowKey="key"
      size="small"
      bordered
      dataSource={errors.map((e, key) => ({ ...e, key }))}
      pagination={errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      columns={[
        { title: t('import.line'), dataIndex: 'line', width: 80, align: 'right', render: (l: number | null) => l ?? '—' },
        {
          title: t('import.field'),
          dataIndex: 'field',
          width: 200,
          // The field by its name; the key the file uses (what the platform fixes) on hover.
          render: (f: string | null) => (f ? <span title={f}>{fieldLabel(t, f.replace(/^data\./, ''))}</span> : '—'),
        },
        { title: t('import.reason'), key: 'reason', render: (_: unknown, e: LineError) => refusalText(t, { ...e, message: e.reason }) },
      ]}
    />
  );
}

type RefusalRow = { line: number | null; id: string; type: string; reason: string; why: RefusalLike | null };

function RefusalsTable({ rows, testId }: { rows: RefusalRow[]; testId: string }) {
  const t = useT();
  return (
    <Table
      data-testid={testId}
      rowKey="id"
      size="small"
      bordered
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      columns={[
        { title: t('import.line'), dataIndex: 'line', width: 70, align: 'right' },
        { title: t('import.eventId'), dataIndex: 'id', width: 140, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        { title: t('import.eventType'), dataIndex: 'type', width: 150, render: (type: string) => eventTypeLabel(type, t) },
        { title: t('import.refusalReason'), key: 'reason', render: (_: unknown, r: RefusalRow) => whyText(r, t) },
      ]}
    />
  );
}

function ResultView({ result: r }: { result: Imported }) {
  const t = useT();
  return (
    <Flex vertical gap={12} data-testid="import-result">
      <Alert
        type={r.refused ? 'warning' : 'success'}
        showIcon
        title={t('import.doneTitle', { file: r.file })}
        description={r.refused ? t('import.doneRefused') : t('import.doneAll')}
      />
      <Flex gap={48}>
        <Statistic title={t('import.applied')} value={r.applied} valueStyle={{ color: '#389e0d' }} data-testid="result-applied" />
        <Statistic
          title={t('import.refused')}
          value={r.refused}
          valueStyle={{ color: r.refused ? '#cf1322' : undefined }}
          data-testid="result-refused"
        />
        <Statistic title={t('import.alreadyImported')} value={r.alreadyImported} />
      </Flex>
      {r.refusals.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('import.refusalsTitle')}
          </Typography.Title>
          <RefusalsTable rows={r.refusals} testId="result-refusals" />
        </>
      )}
    </Flex>
  );
}

function HistoryCard({ rows, onReload }: { rows: ImportRow[]; onReload(): void }) {
  const t = useT();
  const columns: TableColumnsType<ImportRow> = [
    { title: t('import.id'), dataIndex: 'id', width: 70, align: 'right' },
    {
      title: t('import.importedAt'),
      dataIndex: 'importedAt',
      width: 170,
      render: (ms: number) => <span style={nums}>{formatTime(ms)}</span>,
    },
    { title: t('import.file'), dataIndex: 'fileName', ellipsis: true },
    { title: 'SHA-256', dataIndex: 'sha256', width: 210, render: (h: string) => <Hash value={h} /> },
    { title: t('import.lines'), dataIndex: 'lines', width: 80, align: 'right' },
    { title: t('import.applied'), dataIndex: 'applied', width: 80, align: 'right' },
    {
      title: t('import.refused'),
      dataIndex: 'refused',
      width: 80,
      align: 'right',
      render: (n: number) => (n ? <CellTag color="red">{n}</CellTag> : 0),
    },
    { title: t('import.skipped'), dataIndex: 'skipped', width: 100, align: 'right' },
    { title: t('import.importedBy'), dataIndex: 'importedBy', width: 110, render: (u: string | null) => <Person who={u} /> },
  ];
  return (
    <CardTable<ImportRow>
      title={t('import.history')}
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={onReload}>
          {t('common.refresh')}
        </Button>
      }
      testId="import-history"
      columns={columns}
      dataSource={rows}
      scroll={{ x: 1000 }}
      empty={t('import.noHistory')}
      expandable={{
        rowExpandable: (r) => r.refused > 0,
        expandedRowRender: (r) => <ImportRefusals importId={r.id} />,
      }}
    />
  );
}

function ImportRefusals({ importId }: { importId: number }) {
  const rows = useRead('events.refused', { importId }).data as Refused[] | undefined;
  if (!rows) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <RefusalsTable rows={[...rows].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))} testId={`history-refusals-${importId}`} />
    </Space>
  );
}
