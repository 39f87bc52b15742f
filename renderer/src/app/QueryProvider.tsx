// The one QueryClient of the console. Reads go over IPC to local books, so: no refetch on window
// focus or reconnect (there is no network), no retry (a refusal from the books answers the same the
// second time), and a failed read is shown through showError like every other refusal.
import { App as AntApp } from 'antd';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { useT } from '../i18n';
import { showError } from './errors';

export function QueryProvider({ children }: { children: ReactNode }) {
  const t = useT();
  const { message } = AntApp.useApp();
  // The cache outlives renders; it reads the current message instance and language from here.
  const shown = useRef({ t, message });
  shown.current = { t, message };
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: (e) => showError(shown.current.message, e, shown.current.t) }),
        defaultOptions: {
          queries: { refetchOnWindowFocus: false, refetchOnReconnect: false, retry: 0 },
          mutations: { retry: 0 },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
