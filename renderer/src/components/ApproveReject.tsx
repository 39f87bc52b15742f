// Approve and reject side by side, for what someone else proposed or entered: both off for a role that
// may not decide, and for one's own (four eyes), with `ownText` on hover saying why.
import { Button, Space, Tooltip } from 'antd';

export function ApproveReject({
  own,
  ownText,
  disabled,
  loading,
  onApprove,
  onReject,
  words,
  testIds,
}: {
  own: boolean;
  ownText: string;
  disabled?: boolean;
  /** On the approve button while the decision is sent. */
  loading?: boolean;
  onApprove(): void;
  onReject(): void;
  words: readonly [approve: string, reject: string];
  testIds: readonly [approve: string, reject: string];
}) {
  const off = disabled || own;
  const buttons = (
    <Space size={4}>
      <Button size="small" type="primary" disabled={off} loading={loading} onClick={onApprove} data-testid={testIds[0]}>
        {words[0]}
      </Button>
      <Button size="small" danger disabled={off} onClick={onReject} data-testid={testIds[1]}>
        {words[1]}
      </Button>
    </Space>
  );
  return own ? <Tooltip title={ownText}>{buttons}</Tooltip> : buttons;
}
