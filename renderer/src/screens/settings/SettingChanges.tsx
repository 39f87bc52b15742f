// Every proposed and decided change of some settings, in the words the settings are shown in: the value
// before → after in units, when it takes effect, why, who proposed and who confirmed or rejected it, and
// (for another admin) confirm / reject. One table for every settings editor.
import { Card, Flex, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useCan } from '../../app/session';
import { ChangeStatus } from '../../components/ChangeStatus';
import { Person } from '../../components/Person';
import { formatTime } from '../../format/dates';
import { useDecideChange } from '../../hooks/useDecideChange';
import { SmallTable } from '../../components/CardTable';
import { useT, type TFunction } from '../../i18n';
import { effectiveText, settingName, settingText, type Change, type Settings, type SettingKey, type TextContext } from './setting-values';
import { CellTag } from '../../components/CellTag';

/** A time in a narrow column: "12-04 00:20", the full time on hover. */
function When({ ms }: { ms: number }) {
  return (
    <Tooltip title={formatTime(ms)}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatTime(ms).slice(5, 16)}
      </Typography.Text>
    </Tooltip>
  );
}

/** before → after: on one line when both are short, else the old value above the new one. */
export function BeforeAfter({ before, after }: { before: string; after: string }) {
  const short = before.length + after.length <= 50;
  return (
    <Flex vertical={!short} gap={short ? 6 : 0} wrap>
      <Typography.Text type="secondary">{before}</Typography.Text>
      <span>
        {'→ '}
        <Typography.Text strong>{after}</Typography.Text>
      </span>
    </Flex>
  );
}

function decidedLabel(t: TFunction, c: Change): string {
  return c.status === 'rejected' ? t('setting.rejectedBy') : t('setting.confirmedBy');
}

export function SettingChanges({
  data,
  keys,
  ctx: given,
  reload,
  testId,
  tableTestId = `${testId}-versions`,
  expandable,
  emptyText,
  pageSize = 10,
}: {
  data: Settings | null;
  /** Only these settings; the setting's name is a column unless there is exactly one. */
  keys?: readonly SettingKey[];
  /** How values are worded: the console's words alone unless given (subject names, the leaf accounts…). */
  ctx?: TextContext;
  /** Runs after a decision, so that what is in force (and any form showing it) is read again. */
  reload: () => Promise<unknown>;
  /** Prefix of the status and confirm test ids (`${testId}-status-${id}`). */
  testId: string;
  /** The table's test id: `${testId}-versions` unless given. */
  tableTestId?: string;
  /** A change's value in full, below its row; null for a change with nothing more to show. */
  expandable?: (c: Change) => ReactNode;
  emptyText?: string;
  pageSize?: number;
}) {
  const t = useT();
  const ctx = given ?? { t };
  const { admin } = useCan();
  const decide = useDecideChange(reload);
  const inForce = new Map((data?.inForce ?? []).map((s) => [s.key, s]));
  const changes = (data?.changes ?? []).filter((c) => !keys || keys.includes(c.key));
  const oneKey = keys?.length === 1;

  const columns: TableColumnsType<Change> = [
    {
      title: t('conv.version'),
      dataIndex: 'id',
      width: 76,
      render: (id: number, c) => (
        <Flex gap={4} align="center" wrap>
          <span>{t('conv.versionN', { n: id })}</span>
          {inForce.get(c.key)?.version === id && <CellTag color="green">{t('conv.inForceTag')}</CellTag>}
        </Flex>
      ),
    },
    ...(oneKey ? [] : [{ title: t('rules.setting'), dataIndex: 'key', width: 120, render: (k: string) => settingName(t, k) } as const]),
    {
      title: t('setting.change'),
      key: 'value',
      render: (_, c) => <BeforeAfter before={settingText(ctx, c.key, c.before)} after={settingText(ctx, c.key, c.value)} />,
    },
    {
      title: t('rules.effectiveFrom'),
      dataIndex: 'effectiveFrom',
      width: 140,
      render: (ms: number, c) => effectiveText(t, ms, inForce.get(c.key)?.monthly ?? false, formatTime),
    },
    { title: t('rules.reason'), dataIndex: 'reason', width: 120, ellipsis: { showTitle: true } },
    {
      title: t('setting.people'),
      key: 'people',
      width: 180,
      render: (_, c) => (
        <Flex vertical style={{ fontSize: 12 }}>
          <span>
            {t('setting.proposedBy')}
            <Person who={c.proposedByUser ?? c.proposedByName} /> <When ms={c.proposedAt} />
          </span>
          {c.decidedAt !== null && (
            <span>
              {decidedLabel(t, c)}
              <Person who={c.decidedByUser ?? c.decidedByName} /> <When ms={c.decidedAt} />
            </span>
          )}
        </Flex>
      ),
    },
    {
      title: t('rules.status'),
      dataIndex: 'status',
      width: 170,
      fixed: 'right',
      render: (_: Change['status'], c) => <ChangeStatus change={c} admin={admin} decide={decide} testId={testId} />,
    },
  ];

  return (
    <SmallTable<Change>
      testId={tableTestId}
      columns={columns}
      dataSource={changes}
      pageSize={pageSize}
      locale={{ emptyText: emptyText ?? t('setting.noChanges') }}
      scroll={{ x: 980 }}
      {...(expandable ? { expandable: { expandedRowRender: expandable, rowExpandable: (c: Change) => expandable(c) !== null } } : {})}
    />
  );
}

/** An editor's changes in a card of their own under `title`, the card's padding left to the table. */
export function SettingChangesCard({ title, ...changes }: Parameters<typeof SettingChanges>[0] & { title: ReactNode }) {
  return (
    <Card size="small" title={title} styles={{ body: { padding: 0 } }}>
      <SettingChanges {...changes} />
    </Card>
  );
}
