// A proposed settings change's status, with confirm/reject for another admin (four eyes): the proposer
// sees that the change waits for someone else.
import { Button, Space, Tag, Typography } from 'antd';
import { useSession } from '../app/session';
import type { ChangeDecision } from '../hooks/useDecideChange';
import { useT } from '../i18n';

export type ChangeStatusValue = 'proposed' | 'confirmed' | 'rejected';
export const CHANGE_STATUS_COLOR = { proposed: 'gold', confirmed: 'green', rejected: 'default' } as const;

export function ChangeStatus<C extends { id: number; status: ChangeStatusValue; proposedBy: number }>({
  change: c,
  admin,
  decide,
  testId,
}: {
  change: C;
  admin: boolean;
  decide: (c: C, decision: ChangeDecision) => Promise<void>;
  /** Prefix of the test ids: `${testId}-status-${id}`, `${testId}-confirm-${id}`. */
  testId: string;
}) {
  const t = useT();
  const { session } = useSession();
  const mine = c.proposedBy === session.staffId;
  return (
    <Space size={0}>
      <Tag color={CHANGE_STATUS_COLOR[c.status]} data-testid={`${testId}-status-${c.id}`}>
        {t(`rules.status.${c.status}`)}
      </Tag>
      {admin && c.status === 'proposed' && !mine && (
        <>
          <Button type="link" size="small" onClick={() => void decide(c, 'confirmed')} data-testid={`${testId}-confirm-${c.id}`}>
            {t('rules.confirm')}
          </Button>
          <Button type="link" size="small" danger onClick={() => void decide(c, 'rejected')}>
            {t('rules.reject')}
          </Button>
        </>
      )}
      {admin && c.status === 'proposed' && mine && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('rules.ownChange')}
        </Typography.Text>
      )}
    </Space>
  );
}
