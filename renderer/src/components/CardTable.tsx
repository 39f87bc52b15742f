// The console's small tables, written once: small, keyed by id and not paged unless given a pageSize, an
// `empty` text beside the simple image. CardTable puts one in a card of its own (a list on a tab, a
// request's allocations, an invoice's lines): the title above with its buttons at the right, the card's
// padding left to the table, `children` below it.
import { Card, Empty, Table, type TableProps } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import type { TFunction } from '../i18n';

type SmallTableProps<R> = Omit<TableProps<R>, 'children'> & {
  testId?: string;
  empty?: string;
  /** Paged by this many rows, the pager hidden while one page holds them all. */
  pageSize?: number;
};

export function SmallTable<R extends object>({ testId, empty, pageSize, ...table }: SmallTableProps<R>) {
  return (
    <Table<R>
      data-testid={testId}
      rowKey="id"
      size="small"
      pagination={pageSize ? { pageSize, hideOnSinglePage: true } : false}
      {...table}
      {...(empty ? { locale: { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> } } : {})}
    />
  );
}

export function CardTable<R extends object>({
  title,
  extra,
  style,
  children,
  ...table
}: Omit<SmallTableProps<R>, 'title'> & { title: ReactNode; extra?: ReactNode; style?: CSSProperties; children?: ReactNode }) {
  return (
    <Card size="small" title={title} extra={extra} style={style} styles={{ body: { padding: 0 } }}>
      <SmallTable<R> {...table} />
      {children}
    </Card>
  );
}

/** The pager of a list paged by the books (a page of a search): sizes 20 to 200 and the total beside them. */
export function bookPager(t: TFunction, current: number, pageSize: number, total: number, onChange: (page: number, size: number) => void) {
  return {
    current,
    pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100, 200],
    showTotal: (n: number) => t('common.total', { n }),
    onChange,
  };
}
