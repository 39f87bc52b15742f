// The audit log: filters, keyset paging (the API hands the next page's start; no total), before/after in an expandable row, hashes shortened with
// copy; "verify chain" and "export" (JSONL or CSV) run as jobs.
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Dropdown,
  Flex,
  Form,
  Input,
  Space,
  Table,
  Typography,
  type InputRef,
  type TableColumnsType,
} from 'antd';
import { DownOutlined, ExportOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { call, type Data, type Input as ApiInput, type JobResult } from '../../api/coffer';
import { showError } from '../../app/errors';
import { useJobs } from '../../app/jobs';
import { Hash } from '../../components/Hash';
import { FilterButtons } from '../../components/FilterButtons';
import { KeysetPager } from '../../components/KeysetPager';
import { pageInput, useKeysetPage } from '../../hooks/useKeysetPage';
import { dayRange, formatTime } from '../../format/dates';
import { useSlashFocus } from '../../hooks/useSlashFocus';
import { useT } from '../../i18n';
import { JsonBlock } from './JsonBlock';

type Row = Data<'audit.list'>['rows'][number];
type Filter = Omit<ApiInput<'audit.list'>, 'beforeId' | 'limit'>;
interface FilterValues {
  dates?: [Dayjs | null, Dayjs | null] | null;
  action?: string;
  staffName?: string;
  entity?: string;
}
const PAGE = 50;

export default function AuditScreen() {
  const t = useT();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<Filter>({});
  const [chain, setChain] = useState<JobResult<'audit.verifyChain'> | null>(null);
  const [verifying, setVerifying] = useState(false);
  const actionRef = useRef<InputRef>(null);
  useSlashFocus(actionRef);

  const fetchPage = useCallback(
    (beforeId: number | undefined) => call('audit.list', { ...filter, ...pageInput(beforeId, PAGE) }),
    [filter],
  );
  const list = useKeysetPage(fetchPage);

  const apply = (v: FilterValues) => {
    const f: Filter = { ...dayRange(v.dates) };
    if (v.action?.trim()) f.action = v.action.trim();
    if (v.staffName?.trim()) f.staffName = v.staffName.trim();
    if (v.entity?.trim()) f.entity = v.entity.trim();
    list.reset();
    setFilter(f);
  };

  const verify = async () => {
    setVerifying(true);
    try {
      setChain(await jobs.run('audit.verifyChain'));
    } catch (e) {
      showError(message, e, t);
    } finally {
      setVerifying(false);
    }
  };

  const exportAs = async (format: 'jsonl' | 'csv') => {
    try {
      const r = await jobs.run('audit.export', { format });
      void message.success(t('audit.exported', { path: r.path, n: r.rows }));
    } catch (e) {
      showError(message, e, t);
    }
  };

  const columns: TableColumnsType<Row> = [
    { title: t('audit.id'), dataIndex: 'id', width: 80, align: 'right' },
    {
      title: t('audit.time'),
      dataIndex: 'ts',
      width: 170,
      render: (ms: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatTime(ms)}</span>,
    },
    { title: t('audit.staff'), dataIndex: 'staffName', width: 120 },
    { title: t('audit.actionCol'), dataIndex: 'action', width: 200, render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
    { title: t('audit.entity'), dataIndex: 'entity', width: 110 },
    { title: t('audit.entityId'), dataIndex: 'entityId', width: 100, align: 'right' },
    { title: t('audit.count'), dataIndex: 'count', width: 80, align: 'right' },
    { title: t('audit.hash'), dataIndex: 'hash', render: (h: string) => <Hash value={h} /> },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="audit-screen">
      <Flex justify="space-between" align="start" gap={12} wrap>
        <Form<FilterValues> form={form} layout="inline" onFinish={apply} style={{ rowGap: 8 }}>
          <Form.Item name="dates" label={t('audit.dates')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            <Input
              ref={actionRef}
              allowClear
              style={{ width: 240 }}
              placeholder={t('audit.actionPlaceholder')}
              data-testid="audit-action"
            />
          </Form.Item>
          <Form.Item name="staffName" label={t('audit.staffName')}>
            <Input allowClear style={{ width: 140 }} data-testid="audit-staff" />
          </Form.Item>
          <Form.Item name="entity" label={t('audit.entity')}>
            <Input allowClear style={{ width: 120 }} />
          </Form.Item>
          <FilterButtons
            testId="audit-search"
            onReset={() => {
              form.resetFields();
              apply({});
            }}
          />
        </Form>
        <Space>
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
      <Table<Row>
        data-testid="audit-table"
        rowKey="id"
        size="small"
        bordered
        loading={list.loading}
        columns={columns}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 1040, y: 460 }}
        expandable={{
          expandedRowRender: (r) => (
            <Flex vertical gap={8}>
              <Flex gap={16}>
                <JsonBlock title={t('audit.before')} json={r.before} />
                <JsonBlock title={t('audit.after')} json={r.after} />
              </Flex>
              <Typography.Text type="secondary">
                {t('audit.prevHash')}: <Hash value={r.prevHash} />
              </Typography.Text>
            </Flex>
          ),
        }}
      />
      <KeysetPager testId="audit-pager" {...list.pager} />
    </Space>
  );
}
