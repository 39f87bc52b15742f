// A small card holding one unpaged table edge to edge (its title above, buttons at the right).
import { Card, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';

export function CardTable<R extends object>({
  title,
  extra,
  testId,
  ...table
}: Omit<TableProps<R>, 'title' | 'size' | 'rowKey'> & { title: ReactNode; extra?: ReactNode; testId: string }) {
  return (
    <Card size="small" title={title} extra={extra} styles={{ body: { padding: 0 } }}>
      <Table<R> data-testid={testId} rowKey="id" size="small" pagination={false} {...table} />
    </Card>
  );
}
