// Providers: language (with antd's locale), antd's App (message/modal), screen data (react-query), jobs; then the console.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useReducedMotion } from '../hooks/useReducedMotion';
import { I18nProvider, useI18n } from '../i18n';
import { App } from './App';
import { JobsProvider } from './jobs';
import { QueryProvider } from './QueryProvider';

function Localised() {
  const { lang } = useI18n();
  const reducedMotion = useReducedMotion();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        token: {
          motion: !reducedMotion,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
        // Denser tables and tab bars than antd's defaults, so that a screen is whole at 1280×720: the
        // amount and action columns stay in the window and sub-tabs do not fold into a "…" menu.
        components: {
          Table: { cellPaddingInline: 10 },
          Tabs: { horizontalItemGutter: 24 },
        },
      }}
    >
      <AntApp>
        <QueryProvider>
          <JobsProvider>
            <App />
          </JobsProvider>
        </QueryProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}
