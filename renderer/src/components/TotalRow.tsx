// A table's total row: its words across the first `span` columns, then each amount right-aligned in
// the column after.
import { Table, Typography } from 'antd';
import type { ReactNode } from 'react';

export function TotalRow({ words, span, amounts }: { words: string; span: number; amounts: ReactNode[] }) {
  return (
    <Table.Summary.Row>
      <Table.Summary.Cell index={0} colSpan={span}>
        <Typography.Text strong>{words}</Typography.Text>
      </Table.Summary.Cell>
      {amounts.map((a, i) => (
        <Table.Summary.Cell key={i} index={span + i} align="right">
          {a}
        </Table.Summary.Cell>
      ))}
    </Table.Summary.Row>
  );
}
