// 导入银行流水: choose a file (main opens the dialog and keeps the path; the page gets a token) → for
// CSV/XLSX the detected layout, a saved profile or a column mapping of one's own → the preview per
// statement (counts, money in/out, opening/closing, continuity, a sample with duplicates struck
// through) → import, with a confirmation that names any continuity problem → the result. A file the
// readers refuse names its line and field and nothing is written.
import { Alert, App as AntApp, Button, Card, Flex, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { CloudUploadOutlined, EyeOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { ApiError, type Data, type JobResult } from '../../api/coffer';
import { NO_ROWS } from '../../api/queries';
import { useQuietRead } from '../../hooks/useQuietRead';
import { errorText } from '../../app/errors';
import { refusalOfError, refusalText } from '../../i18n/refusal-text';
import { useJobs } from '../../app/jobs';
import { useCounter } from '../../app/session';
import { Hash } from '../../components/Hash';
import { FileImportCard } from '../../components/FileImportCard';
import { useT } from '../../i18n';
import { guessDraft, MappingEditor, toMapping, type MappingDraft } from './MappingEditor';
import { AccountNo, groupedNumber, memoColumn, nums, yuanText } from './shared';
import { Facts } from '../../components/Facts';
import { CellTag } from '../../components/CellTag';

type Chosen = JobResult<'statements.choose'>;
type Preview = JobResult<'statements.preview'>;
type Imported = JobResult<'statements.import'>;
type Bank = Data<'bankAccounts.list'>[number];

type Stage =
  | { kind: 'idle' }
  | { kind: 'choosing' }
  | { kind: 'chosen'; chosen: Chosen }
  | { kind: 'previewing'; chosen: Chosen }
  | { kind: 'preview'; chosen: Chosen; preview: Preview }
  | { kind: 'importing'; chosen: Chosen; preview: Preview }
  | { kind: 'done'; chosen: Chosen; result: Imported; preview: Preview }
  | { kind: 'failed'; chosen: Chosen | null; message: string; where: string | null };

const CUSTOM = '__custom__';

export function StatementImport({ onImported, onOpenStatement }: { onImported(): void; onOpenStatement(id: number): void }) {
  const t = useT();
  const { modal } = AntApp.useApp();
  const jobs = useJobs();
  const mayImport = useCounter();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [profile, setProfile] = useState<string>(CUSTOM);
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const banks: Bank[] = useQuietRead('bankAccounts.list').data ?? NO_ROWS;
  const [bankAccountId, setBankAccountId] = useState<number | undefined>();

  const chosen = 'chosen' in stage ? stage.chosen : null;
  const layout = chosen?.layout ?? null;
  const tabular = !!layout && layout.headers.length > 0;

  const fail = (c: Chosen | null, e: unknown) => {
    const d = e instanceof ApiError ? e.details : {};
    // A coded refusal says where in the file itself (line, column); an old-style one gets it here.
    const where = refusalOfError(d)
      ? ''
      : [d.line ? t('statement.atLine', { n: String(d.line) }) : '', d.field ? t('statement.atField', { f: String(d.field) }) : '']
          .filter(Boolean)
          .join(t('login.reason.sep'));
    setStage({ kind: 'failed', chosen: c, message: errorText(e, t), where: where || null });
  };

  const choose = async () => {
    setStage({ kind: 'choosing' });
    try {
      const c = await jobs.run('statements.choose');
      const l = c.layout;
      const fitting = l?.suggestedProfile ?? l?.profiles.find((p) => p.fits)?.id;
      setProfile(fitting ?? CUSTOM);
      setDraft(l && l.headers.length ? guessDraft(l.headers, l.headerRow) : null);
      setStage({ kind: 'chosen', chosen: c });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CANCELLED') setStage({ kind: 'idle' });
      else fail(null, e);
    }
  };

  /** What the server should read the file with: a profile, a mapping, or (camt/MT940/OFX) nothing. */
  const readWith = (): { profile?: string; mapping?: NonNullable<ReturnType<typeof toMapping>> } | string => {
    if (!tabular) return {};
    if (profile !== CUSTOM) return { profile };
    if (!draft || !layout) return 'mapping.need.date';
    const m = toMapping(draft, layout.headers);
    return typeof m === 'string' ? m : { mapping: m };
  };
  const options = readWith();

  const preview = async (c: Chosen) => {
    if (typeof options === 'string') return;
    setStage({ kind: 'previewing', chosen: c });
    try {
      const p = await jobs.run('statements.preview', {
        token: c.token,
        ...(options as object),
        ...(bankAccountId ? { bankAccountId } : {}),
      });
      setStage({ kind: 'preview', chosen: c, preview: p });
    } catch (e) {
      fail(c, e);
    }
  };

  const runImport = async (c: Chosen, p: Preview, acceptContinuity: boolean) => {
    setStage({ kind: 'importing', chosen: c, preview: p });
    try {
      const result = await jobs.run('statements.import', {
        token: c.token,
        sha256: p.sha256,
        acceptContinuity,
        ...(options as object),
        ...(bankAccountId ? { bankAccountId } : {}),
      });
      setStage({ kind: 'done', chosen: c, result, preview: p });
      onImported();
    } catch (e) {
      fail(c, e);
    }
  };

  const askImport = (c: Chosen, p: Preview) => {
    if (p.continuityOk) return void runImport(c, p, false);
    const problems = p.statements.flatMap((s) => s.continuity);
    modal.confirm({
      title: t('statement.continuityConfirmTitle'),
      width: 620,
      content: (
        <Flex vertical gap={8} data-testid="continuity-confirm">
          <Typography.Text>{t('statement.continuityConfirmText')}</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {problems.map((x, i) => (
              <li key={i}>{refusalText(t, x)}</li>
            ))}
          </ul>
        </Flex>
      ),
      okText: t('statement.importAnyway'),
      okButtonProps: { danger: true, 'data-testid': 'continuity-ok' },
      cancelText: t('common.cancel'),
      onOk: () => void runImport(c, p, true),
    });
  };

  const running = jobs.jobs.find((j) => j.method.startsWith('statements.') && j.status === 'running');
  const step = { idle: 0, choosing: 0, chosen: 1, previewing: 1, preview: 2, importing: 3, done: 4, failed: 1 }[stage.kind];
  const busy = stage.kind === 'choosing' || stage.kind === 'previewing' || stage.kind === 'importing';

  return (
    <Flex vertical gap={12} data-testid="statement-import">
      <FileImportCard
        title={t('statement.importTitle')}
        steps={[
          t('statement.step.choose'),
          t('statement.step.layout'),
          t('statement.step.preview'),
          t('statement.step.import'),
          t('statement.step.result'),
        ]}
        step={step}
        failed={stage.kind === 'failed'}
        mayImport={mayImport}
        rolesOnly={t('statement.rolesOnly')}
        idle={stage.kind === 'idle'}
        busy={busy}
        onChoose={() => void choose()}
        chooseText={[t('statement.choose'), t('statement.chooseAnother')]}
        chooseTestId="statement-choose"
        hint={t('statement.formats')}
        progress={
          busy
            ? { testId: 'statement-progress', label: t(`statement.busy.${stage.kind}` as 'statement.busy.choosing'), job: running }
            : null
        }
      >
        {chosen && stage.kind !== 'done' && (
          <Flex vertical gap={12} data-testid="statement-layout">
            <Facts
              column={4}
              items={[
                { key: 'f', label: t('statement.file'), span: 2, children: <Typography.Text strong>{chosen.file}</Typography.Text> },
                { key: 'fmt', label: t('statement.format'), children: layout?.format ?? '—' },
                { key: 'enc', label: t('statement.encoding'), children: layout?.encoding ?? layout?.sheet ?? '—' },
                ...(tabular
                  ? [
                      { key: 'h', label: t('statement.headerRow'), children: layout?.headerRow ?? t('statement.notFound') },
                      { key: 'cols', label: t('statement.columns'), span: 3, children: layout?.headers.length },
                    ]
                  : []),
              ]}
            />
            <Flex gap={16} align="center" wrap>
              <Space>
                <Typography.Text>{t('statement.bankAccount')}</Typography.Text>
                <Select<number>
                  allowClear
                  value={bankAccountId}
                  onChange={(v) => setBankAccountId(v ?? undefined)}
                  placeholder={t('statement.bankFromFile')}
                  style={{ width: 340 }}
                  options={banks.map((b) => ({ value: b.id, label: `${b.bankName} · ${groupedNumber(b.accountNumber)} · ${b.name}` }))}
                  data-testid="statement-bank"
                />
              </Space>
            </Flex>
            {tabular && layout && (
              <Flex vertical gap={8}>
                <Space align="center" wrap>
                  <Typography.Text strong>{t('statement.profile')}</Typography.Text>
                  <Radio.Group
                    value={profile}
                    onChange={(e) => setProfile(e.target.value as string)}
                    optionType="button"
                    data-testid="statement-profile"
                    options={[
                      ...layout.profiles.map((p) => ({
                        value: p.id,
                        label: (
                          <span data-testid={`profile-${p.id}`}>
                            {p.name}
                            {p.fits && (
                              <CellTag color="green" style={{ marginInlineStart: 6 }}>
                                {t('statement.fits')}
                              </CellTag>
                            )}
                          </span>
                        ),
                      })),
                      { value: CUSTOM, label: <span data-testid="profile-custom">{t('statement.customMapping')}</span> },
                    ]}
                  />
                </Space>
                {profile !== CUSTOM && (
                  <Typography.Text type="secondary">
                    {(() => {
                      const p = layout.profiles.find((x) => x.id === profile);
                      return p && !p.fits ? t('statement.profileMissing', { cols: p.missing.join('、') }) : t('statement.profileFits');
                    })()}
                  </Typography.Text>
                )}
                {profile === CUSTOM && draft && (
                  <MappingEditor headers={layout.headers} sampleRows={layout.sampleRows} draft={draft} onChange={setDraft} />
                )}
                {profile !== CUSTOM && draft && (
                  <MappingEditor headers={layout.headers} sampleRows={layout.sampleRows} draft={draft} onChange={setDraft} readOnly />
                )}
              </Flex>
            )}
            {typeof options === 'string' && <Alert type="warning" showIcon title={t(options as 'mapping.need.date')} />}
            <div>
              <Button
                icon={<EyeOutlined />}
                type={stage.kind === 'chosen' ? 'primary' : 'default'}
                disabled={busy || typeof options === 'string'}
                onClick={() => void preview(chosen)}
                data-testid="statement-preview"
              >
                {t('statement.previewButton')}
              </Button>
            </div>
          </Flex>
        )}
        {(stage.kind === 'preview' || stage.kind === 'importing') && (
          <PreviewView preview={stage.preview} busy={stage.kind === 'importing'} onImport={() => askImport(stage.chosen, stage.preview)} />
        )}
        {stage.kind === 'failed' && (
          <Alert
            type="error"
            showIcon
            title={t('statement.refused')}
            description={
              <Flex vertical>
                {stage.where && <Typography.Text strong>{stage.where}</Typography.Text>}
                <span>{stage.message}</span>
              </Flex>
            }
            data-testid="statement-failed"
          />
        )}
        {stage.kind === 'done' && stage.result.alreadyImported && (
          <Alert
            type="info"
            showIcon
            data-testid="statement-result"
            title={alreadyImportedText(t, stage.result.file, stage.result.alreadyImported)}
          />
        )}
        {stage.kind === 'done' && !stage.result.alreadyImported && (
          <Alert
            type="success"
            showIcon
            data-testid="statement-result"
            title={t('statement.doneTitle', { file: stage.result.file })}
            description={
              <Flex vertical gap={4}>
                {stage.result.statements.map((s) => (
                  <Space key={s.statementId}>
                    <span>{t('statement.doneLine', { newLines: s.newLines, duplicates: s.duplicates })}</span>
                    {s.reversals.netted + s.reversals.review + s.reversals.unpaired > 0 && (
                      <span data-testid="statement-reversals">
                        {t('statement.doneReversals', { netted: s.reversals.netted, waiting: s.reversals.review + s.reversals.unpaired })}
                      </span>
                    )}
                    <Button size="small" type="link" onClick={() => onOpenStatement(s.statementId)} data-testid="statement-open-imported">
                      {t('statement.openLines')}
                    </Button>
                  </Space>
                ))}
                <Typography.Text type="secondary">{t('statement.nextRunMatching')}</Typography.Text>
              </Flex>
            }
          />
        )}
      </FileImportCard>
    </Flex>
  );
}

/** The very same file imported before: when and by whom, nothing booked (not a failure). */
function alreadyImportedText(t: ReturnType<typeof useT>, file: string, a: { statementId: number; on: string; by: string }): string {
  return refusalText(t, { code: 'statement_already_imported', params: { file, on: a.on, by: a.by, statementId: String(a.statementId) } });
}

function PreviewView({ preview: p, busy, onImport }: { preview: Preview; busy: boolean; onImport(): void }) {
  const t = useT();
  const newLines = p.statements.reduce((s, x) => s + x.newLines, 0);
  // The preview is what the accountant checks next: bring it into view under the layout and mapping.
  const top = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Braces: in newer Chromium scrollIntoView returns a promise, which React would take for a cleanup.
    top.current?.scrollIntoView({ block: 'start' });
  }, [p.sha256]);
  return (
    <Flex vertical gap={12} data-testid="statement-preview-result" ref={top}>
      <Space>
        <Typography.Text>{t('statement.file')}:</Typography.Text>
        <Typography.Text strong>{p.file}</Typography.Text>
        <Hash value={p.sha256} />
      </Space>
      {p.alreadyImported && (
        <Alert type="info" showIcon title={alreadyImportedText(t, p.file, p.alreadyImported)} data-testid="preview-already-imported" />
      )}
      {p.statements.map((s, i) => (
        <Card
          key={i}
          size="small"
          type="inner"
          title={
            <Space>
              <span>{s.bankAccount}</span>
              <Tag>{s.profile ?? s.format}</Tag>
            </Space>
          }
          data-testid={`preview-statement-${i}`}
        >
          <Flex vertical gap={12}>
            <Facts
              column={4}
              items={[
                {
                  key: 'o',
                  label: t('statement.opening'),
                  children: s.opening ? `${s.opening.date} · ${yuanText(s.opening.amount)}` : '—',
                },
                {
                  key: 'c',
                  label: t('statement.closing'),
                  children: s.closing ? `${s.closing.date} · ${yuanText(s.closing.amount)}` : '—',
                },
                { key: 'in', label: t('statement.moneyIn'), children: <span style={nums}>{yuanText(s.moneyIn)}</span> },
                { key: 'out', label: t('statement.moneyOut'), children: <span style={nums}>{yuanText(s.moneyOut)}</span> },
                { key: 'l', label: t('statement.lines'), children: s.lines },
                {
                  key: 'n',
                  label: t('statement.newLines'),
                  children: (
                    <Typography.Text strong data-testid="preview-new-lines">
                      {s.newLines}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'd',
                  label: t('statement.duplicates'),
                  span: 2,
                  children: (
                    <Typography.Text type={s.duplicates ? 'warning' : undefined} data-testid="preview-duplicates">
                      {s.duplicates}
                    </Typography.Text>
                  ),
                },
              ]}
            />
            {s.continuity.length === 0 ? (
              <Alert type="success" showIcon title={t('statement.continuityOk')} data-testid="preview-continuity" />
            ) : (
              <Alert
                type="warning"
                showIcon
                title={t('statement.continuityProblems', { n: s.continuity.length })}
                description={
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {s.continuity.map((c, i) => (
                      <li key={i}>{refusalText(t, c)}</li>
                    ))}
                  </ul>
                }
                data-testid="preview-continuity"
              />
            )}
            <Table<(typeof s.sample)[number]>
              data-testid={`preview-sample-${i}`}
              size="small"
              rowKey="lineNo"
              pagination={false}
              scroll={{ y: 320 }}
              dataSource={s.sample}
              rowClassName={(l) => (l.duplicate ? 'line-duplicate' : '')}
              columns={[
                { title: '#', dataIndex: 'lineNo', width: 50, align: 'right' },
                { title: t('line.booked'), dataIndex: 'booked', width: 105 },
                {
                  title: t('line.amount'),
                  dataIndex: 'amount',
                  width: 140,
                  align: 'right',
                  render: (a: string) => (
                    <span style={{ ...nums, color: a.startsWith('-') ? '#cf1322' : undefined, whiteSpace: 'nowrap' }}>{yuanText(a)}</span>
                  ),
                },
                { title: t('line.counterparty'), dataIndex: 'counterpartyName', width: 220, ellipsis: true },
                {
                  title: t('line.counterpartyAccount'),
                  dataIndex: 'counterpartyAccount',
                  width: 210,
                  render: (v: string | null) => <AccountNo value={v} />,
                },
                memoColumn(t),
                {
                  title: t('statement.lineState'),
                  dataIndex: 'duplicate',
                  width: 100,
                  render: (d: boolean) =>
                    d ? <CellTag color="orange">{t('statement.duplicate')}</CellTag> : <CellTag color="blue">{t('statement.new')}</CellTag>,
                },
              ]}
            />
            {s.lines > s.sample.length && (
              <Typography.Text type="secondary">{t('statement.sampleOf', { shown: s.sample.length, n: s.lines })}</Typography.Text>
            )}
          </Flex>
        </Card>
      ))}
      <Flex gap={12} align="center">
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          loading={busy}
          disabled={newLines === 0}
          onClick={onImport}
          data-testid="statement-import-run"
        >
          {t('statement.importButton', { n: newLines })}
        </Button>
        {newLines === 0 && <Typography.Text type="secondary">{t('statement.nothingNew')}</Typography.Text>}
        {!p.continuityOk && <Typography.Text type="warning">{t('statement.willAsk')}</Typography.Text>}
      </Flex>
    </Flex>
  );
}
