// Accounts with their kept balances, per ledger: posted and pending debits and credits and the
// posted balance with its side (Dr/Cr). Paged with offset/limit (ledger.accounts gives the total).
import { Checkbox, Flex, Select, Space, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { Data } from '../../api/coffer';
import { NO_ROWS, useRead } from '../../api/queries';
import { Amount, amountStyle } from '../../components/Amount';
import { formatAmount, net } from '../../format/money';
import { SearchBox } from '../../components/SearchBox';
import { SmallTable, bookPager } from '../../components/CardTable';
import { useI18n, useT } from '../../i18n';
import { accountName, ledgerOptions, ledgerShort, ownerName } from './ledgerOptions';
import { CellTag } from '../../components/CellTag';

type Row = Data<'ledger.accounts'>['rows'][number];

export default function AccountsTab() {
  const t = useT();
  const { lang } = useI18n();
  const [ledger, setLedger] = useState<number | undefined>();
  const [search, setSearch] = useState('');
  const [systemOnly, setSystemOnly] = useState(false);
  const [page, setPage] = useState({ current: 1, pageSize: 50 });

  const read = useRead(
    'ledger.accounts',
    {
      ...(ledger ? { ledger } : {}),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(systemOnly ? { systemOnly } : {}),
      offset: (page.current - 1) * page.pageSize,
      limit: page.pageSize,
    },
    { keepPrevious: true },
  );
  const data = read.data ?? { total: 0, rows: NO_ROWS };
  const loading = read.isFetching;

  const amountCol = (key: 'debitsPosted' | 'creditsPosted' | 'debitsPending' | 'creditsPending', title: string) => ({
    title,
    key,
    align: 'right' as const,
    width: 108,
    render: (_: unknown, r: Row) => <Amount minor={r[key]} ledger={r.ledger} />,
  });

  const columns: TableColumnsType<Row> = [
    { title: t('accounts.id'), dataIndex: 'id', width: 56, align: 'right' },
    { title: t('accounts.ledger'), dataIndex: 'ledger', width: 80, render: (l: number) => ledgerShort(l, t) },
    {
      title: t('accounts.code'),
      dataIndex: 'subjectCode',
      width: 110,
      render: (c: string | null) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{c ?? '—'}</span>,
    },
    {
      title: t('accounts.name'),
      key: 'name',
      ellipsis: true,
      render: (_, r) => {
        // A subject the chart added (gl:…), at any level, is named by the chart in the console's language.
        const chartName = lang === 'en' ? r.subjectNameEn : r.subjectName;
        const name = (r.code.startsWith('gl:') && chartName) || accountName(r.name, t, r.code, r.ownerKind === null);
        return (
          // A flex row that may shrink, so that a long name ends in "…" instead of running over the amounts.
          <Flex gap={4} align="center" style={{ minWidth: 0 }}>
            {r.ownerKind === null && <CellTag>{t('accounts.system')}</CellTag>}
            <Typography.Text ellipsis={{ tooltip: name }} style={{ minWidth: 0 }}>
              {name}
            </Typography.Text>
            {r.ownerKind !== null && (
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
                {r.ownerKind === 'account'
                  ? t('accounts.ownerAccount', { id: r.ownerId ?? '' })
                  : `${ownerName(r.ownerKind, t)} #${r.ownerId ?? ''}`}
              </Typography.Text>
            )}
          </Flex>
        );
      },
    },
    amountCol('debitsPosted', t('accounts.debitsPosted')),
    amountCol('creditsPosted', t('accounts.creditsPosted')),
    amountCol('debitsPending', t('accounts.debitsPending')),
    amountCol('creditsPending', t('accounts.creditsPending')),
    {
      title: t('accounts.net'),
      key: 'net',
      align: 'right',
      width: 140,
      render: (_, r) => {
        const n = net(r.debitsPosted, r.creditsPosted);
        const side = n > 0n ? t('accounts.dr') : n < 0n ? t('accounts.cr') : t('accounts.flat');
        return (
          <span style={amountStyle} data-testid={`net-${r.id}`}>
            <strong>{formatAmount(n < 0n ? -n : n, r.ledger)}</strong>
            {side && <Typography.Text type="secondary"> {side}</Typography.Text>}
          </span>
        );
      },
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space wrap>
        <Select
          style={{ width: 180 }}
          allowClear
          placeholder={t('accounts.allLedgers')}
          value={ledger}
          onChange={(v?: number) => {
            setLedger(v);
            setPage((p) => ({ ...p, current: 1 }));
          }}
          options={ledgerOptions(t)}
          data-testid="accounts-ledger"
        />
        <SearchBox
          width={320}
          placeholder={t('accounts.searchPlaceholder')}
          onSearch={(v) => {
            setSearch(v);
            setPage((p) => ({ ...p, current: 1 }));
          }}
          testId="accounts-search"
        />
        <Checkbox
          checked={systemOnly}
          onChange={(e) => {
            setSystemOnly(e.target.checked);
            setPage((p) => ({ ...p, current: 1 }));
          }}
        >
          {t('accounts.systemOnly')}
        </Checkbox>
      </Space>
      <SmallTable<Row>
        testId="accounts-table"
        bordered
        loading={loading}
        columns={columns}
        dataSource={data.rows}
        scroll={{ x: 1040 }}
        pagination={bookPager(t, page.current, page.pageSize, data.total, (current, pageSize) => setPage({ current, pageSize }))}
      />
    </Space>
  );
}
