// The frame around set-up, login and the lock screen: a centred card with the language switch.
import { Button, Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Button type="text" data-testid="lang-switch" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
      {t('header.language')}
    </Button>
  );
}

export function AuthFrame({ title, children, testId }: { title: ReactNode; children: ReactNode; testId: string }) {
  const { t } = useI18n();
  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ height: '100vh', overflow: 'auto', background: '#f0f2f5', padding: 24, boxSizing: 'border-box' }}
      data-testid={testId}
    >
      <Card style={{ width: 440 }} title={<Typography.Text strong>{t('app.name')}</Typography.Text>} extra={<LangSwitch />}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </Flex>
  );
}
