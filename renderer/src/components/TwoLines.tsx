// A table cell of two lines: what the row is (a name, a number, an amount) over a smaller, quieter line
// that says more (the account, the time, the kind). The queues and lists draw their cells this way.
import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

export function TwoLines({
  main,
  sub,
  subType = 'secondary',
  nowrap,
  align,
  testId,
}: {
  main: ReactNode;
  /** The smaller line; none when null, undefined or false. */
  sub?: ReactNode;
  subType?: 'secondary' | 'warning';
  /** Keep the smaller line on one line. */
  nowrap?: boolean;
  align?: 'end';
  testId?: string;
}) {
  return (
    <Flex vertical align={align} data-testid={testId}>
      {main}
      {sub !== null && sub !== undefined && sub !== false && (
        <Typography.Text type={subType} style={nowrap ? { fontSize: 12, whiteSpace: 'nowrap' } : { fontSize: 12 }}>
          {sub}
        </Typography.Text>
      )}
    </Flex>
  );
}
