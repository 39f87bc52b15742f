// The audit log: filters (actions, people and objects picked by name), keyset paging (the API hands the next page's start; no total), each entry
// as a sentence with its before/after as labelled fields in an expandable row (the stored JSON behind a "raw record" switch), hashes shortened
// with copy; "verify chain" and "export" (JSONL or CSV) run as jobs.
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Dropdown,
  Flex,
  Form,
  Select,
  Space,
  Switch,
  Typography,
  type RefSelectProps,
} from 'antd';
import { DownOutlined, ExportOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import type { Data, JobResult } from '../../api/coffer';
import { NO_ROWS, useRead } from '../../api/queries';
import { showError } from '../../app/errors';
import { useJobs } from '../../app/jobs';
import { Hash } from '../../components/Hash';
import { FilterForm } from '../../components/FilterForm';
import { KeysetTable } from '../../components/KeysetTable';
import { fieldColumn, idColumn, timeColumn } from '../../components/columns';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { dayRange } from '../../format/dates';
import { useSlashFocus } from '../../hooks/useSlashFocus';
import { useBusy } from '../../hooks/useBusy';
import { useT } from '../../i18n';
import { JsonBlock } from './JsonBlock';
import { Person, useStaffNames } from '../../components/Person';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, LEGACY_AUDIT_ACTIONS } from '../../../../main/domain/audit-actions';
import { actionName, auditFields, sentenceTemplate, type AuditRowLike } from './audit-words';
import type { TFunction } from '../../i18n';
import { Facts } from '../../components/Facts';
import { PickFilterItem } from '../../components/PickFilterItem';

type Row = Data<'audit.list'>['rows'][number];
type Filter = ListFilter<'audit.list'>;
interface FilterValues {
  dates?: [Dayjs | null, Dayjs | null] | null;
  action?: string;
  staffName?: string;
  entity?: string;
}
const PAGE = 50;

/** "{who} 冲销了…": the sentence with the person as a name, the username on hover. */
function Sentence({ t, row }: { t: TFunction; row: AuditRowLike }) {
  const [head, ...rest] = sentenceTemplate(t, row).split('{who}');
  return (
    <span data-testid="audit-sentence">
      {head}
      {rest.length > 0 && <Person who={row.staffName} fallback={t('audit.someone')} />}
      {rest.join('')}
    </span>
  );
}

function Fields({ t, title, json }: { t: TFunction; title: string; json: string | null }) {
  const names = useStaffNames();
  const fields = auditFields(t, names, json);
  if (fields.length === 0) return null;
  return (
    <Facts
      column={1}
      title={title}
      style={{ flex: 1, minWidth: 0 }}
      styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
      items={fields.map((f) => ({ key: f.key, label: f.label, children: <span style={{ wordBreak: 'break-all' }}>{f.value}</span> }))}
    />
  );
}

function Details({ t, row }: { t: TFunction; row: Row }) {
  const [raw, setRaw] = useState(false);
  return (
    <Flex vertical gap={8} data-testid="audit-details">
      <Flex gap={16} align="start">
        <Fields t={t} title={t('audit.before')} json={row.before} />
        <Fields t={t} title={row.before === null ? t('audit.details') : t('audit.after')} json={row.after} />
      </Flex>
      <Space size={8}>
        <Switch size="small" checked={raw} onChange={setRaw} data-testid="audit-raw" />
        <Typography.Text type="secondary">{t('audit.raw')}</Typography.Text>
      </Space>
      {raw && (
        <>
          <Flex gap={16}>
            <JsonBlock title={t('audit.before')} json={row.before} />
            <JsonBlock title={t('audit.after')} json={row.after} />
          </Flex>
          <Typography.Text type="secondary">
            {t('audit.prevHash')}: <Hash value={row.prevHash} />
          </Typography.Text>
        </>
      )}
    </Flex>
  );
}

function toFilter(v: FilterValues): Filter {
  const f: Filter = { ...dayRange(v.dates) };
  if (v.action) f.action = v.action;
  if (v.staffName) f.staffName = v.staffName;
  if (v.entity) f.entity = v.entity;
  return f;
}

export default function AuditScreen() {
  const t = useT();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const [chain, setChain] = useState<JobResult<'audit.verifyChain'> | null>(null);
  const [verifying, runVerify] = useBusy();
  const actionRef = useRef<RefSelectProps>(null);
  const staff: Data<'staff.list'> = useRead('staff.list').data ?? NO_ROWS;
  const actionOptions = useMemo(
    () =>
      [...AUDIT_ACTIONS, ...LEGACY_AUDIT_ACTIONS]
        .map((a) => ({ value: a, label: actionName(t, a) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    [t],
  );
  useSlashFocus(actionRef);

  const { form, filter, list, search, clear } = useFilteredList('audit.list', PAGE, { toFilter });

  const verify = () =>
    runVerify(async () => {
      setChain(await jobs.run('audit.verifyChain'));
    });

  const exportAs = async (format: 'jsonl' | 'csv') => {
    try {
      const r = await jobs.run('audit.export', { format });
      void message.success(t('audit.exported', { path: r.path, n: r.rows }));
    } catch (e) {
      showError(message, e, t);
    }
  };

  const actionLabels = useMemo(
    () => Object.fromEntries([...AUDIT_ACTIONS, ...LEGACY_AUDIT_ACTIONS].map((a) => [a, actionName(t, a)])),
    [t],
  );
  const columns: ListColumn<Row>[] = [
    idColumn(t('audit.id'), 70),
    timeColumn('ts', t('audit.time'), 150, { fontVariantNumeric: 'tabular-nums' }),
    fieldColumn('action', t('audit.actionCol'), { labels: actionLabels, width: 140, render: (a: string) => actionName(t, a) }),
    { key: 'sentence', title: t('audit.sentence'), render: (_, r) => <Sentence t={t} row={r} /> },
    fieldColumn('staffName', t('audit.staff'), { kind: 'staff', width: 90, render: (u: string | null) => <Person who={u} /> }),
    fieldColumn('hash', t('audit.hash'), { width: 155, render: (h: string) => <Hash value={h} /> }),
  ];
  const tools = useListTools('audit', columns);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="audit-screen">
      <Flex justify="space-between" align="start" gap={12} wrap>
        <FilterForm<FilterValues> form={form} onSearch={search} onReset={clear} testId="audit-search">
          <Form.Item name="dates" label={t('audit.dates')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Select
              ref={actionRef}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 200 }}
              placeholder={t('audit.actionPlaceholder')}
              options={actionOptions}
              data-testid="audit-action"
            />
          </Form.Item>
          <PickFilterItem
            name="staffName"
            label={t('audit.staffName')}
            width={140}
            searchable
            placeholder={t('audit.staffPick')}
            options={staff.map((p) => ({ value: p.username, label: p.displayName || p.username }))}
            testId="audit-staff"
          />
          <PickFilterItem
            name="entity"
            label={t('audit.entity')}
            width={140}
            placeholder={t('audit.entityAll')}
            options={AUDIT_ENTITIES.map((e) => ({ value: e, label: t(`auditEntity.${e}`) }))}
            testId="audit-entity"
          />
        </FilterForm>
        <Space wrap>
          <ListToolbar
            tools={tools}
            method="audit.list"
            filter={filter}
            filterText={filterLine([
              [t('audit.action'), filter.action],
              [t('audit.staffName'), filter.staffName],
              [t('audit.entity'), filter.entity],
            ])}
            title={t('lists.title.audit')}
          />
          <Button icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
          <Dropdown
            menu={{
              items: [
                { key: 'jsonl', label: t('audit.exportJsonl') },
                { key: 'csv', label: t('audit.exportCsv') },
              ],
              onClick: ({ key }) => void exportAs(key as 'jsonl' | 'csv'),
            }}
          >
            <Button icon={<ExportOutlined />} data-testid="audit-export">
              {t('audit.export')} <DownOutlined />
            </Button>
          </Dropdown>
        </Space>
      </Flex>
      {chain && (
        <Alert
          data-testid="audit-chain-status"
          type={chain.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => setChain(null) }}
          title={chain.ok ? t('audit.chainOk', { rows: chain.rows }) : t('audit.chainBroken', { n: chain.findings.length })}
          description={
            chain.ok ? (
              <Hash value={chain.lastHash} />
            ) : (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {chain.findings.slice(0, 20).map((f) => (
                  <li key={`${f.id}-${f.problem}`}>
                    #{f.id}: {f.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}
      <KeysetTable<Row>
        list={list}
        tools={tools}
        testId="audit"
        bordered
        scroll={{ x: 900, y: 460 }}
        expandable={{ expandedRowRender: (r) => <Details t={t} row={r} /> }}
      />
    </Space>
  );
}
