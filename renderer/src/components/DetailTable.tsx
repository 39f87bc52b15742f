// A table on a detail page (a request's allocations, an invoice's lines, a customer's accounts) in a
// card of its own: small, not paged, the card's padding left to the table, and an empty text beside
// the simple image.
import { Card, Empty, Table, type TableProps } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

export function DetailTable<R extends object>({
  title,
  testId,
  empty,
  style,
  ...table
}: { title: ReactNode; testId: string; empty?: string; style?: CSSProperties } & Omit<TableProps<R>, 'title'>) {
  return (
    <Card size="small" title={title} style={style} styles={{ body: { padding: 0 } }}>
      <Table<R>
        data-testid={testId}
        rowKey="id"
        size="small"
        pagination={false}
        {...table}
        {...(empty ? { locale: { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> } } : {})}
      />
    </Card>
  );
}
