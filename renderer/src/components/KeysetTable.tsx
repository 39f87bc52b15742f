// A keyset-paged list's table, written once: the rows of the page on screen, the chosen columns and 合计 of
// its list tools, and the pager under it. In a card (title and toolbar above) the pager sits at the right of
// a padded row, with `besidePager` (counts, a selection's sum) at its left.
import { Card, Flex, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import type { KeysetList } from '../hooks/useKeysetPage';
import { KeysetPager } from './KeysetPager';
import type { ListTools } from './ListTools';

type TableRest<R> = Omit<TableProps<R>, 'dataSource' | 'loading' | 'pagination' | 'size' | 'rowKey'>;

export function KeysetTable<R extends object>({
  list,
  tools,
  testId,
  cardTitle,
  cardExtra,
  besidePager,
  ...table
}: TableRest<R> & {
  list: KeysetList<R>;
  /** The list's tools (chosen columns, 合计); a queue without them passes `columns`. */
  tools?: ListTools<R>;
  /** The table is `${testId}-table`, its pager `${testId}-pager`. */
  testId: string;
  /** Put the table in a card with this title and toolbar. */
  cardTitle?: ReactNode;
  cardExtra?: ReactNode;
  besidePager?: ReactNode;
}) {
  const body = (
    <Table<R>
      data-testid={`${testId}-table`}
      rowKey="id"
      size="small"
      loading={list.loading}
      columns={tools?.columns}
      summary={tools?.summary}
      dataSource={list.rows}
      pagination={false}
      {...table}
    />
  );
  const pager = <KeysetPager testId={`${testId}-pager`} {...list.pager} />;
  if (cardTitle === undefined)
    return (
      <>
        {body}
        {pager}
      </>
    );
  return (
    // A long title wraps (the counts go under it) rather than end in an ellipsis.
    <Card size="small" title={cardTitle} extra={cardExtra} styles={{ body: { padding: 0 }, title: { whiteSpace: 'normal' } }}>
      {body}
      <Flex justify={besidePager ? 'space-between' : 'end'} align="center" style={{ padding: 8 }}>
        {besidePager}
        {pager}
      </Flex>
    </Card>
  );
}
