// Which screen: first-start set-up, login, the lock screen, or the console. Session problems from
// any call (ended, locked) bring the right screen back.
import { App as AntApp, Flex, Spin } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { call, onSessionSignal } from '../api/coffer';
import { useT, type MessageKey } from '../i18n';
import { installSlashFocus } from '../hooks/useSlashFocus';
import { showError } from './errors';
import { SessionContext, type SessionInfo } from './session';

const SetupScreen = lazy(() => import('../screens/setup/SetupScreen'));
const LoginScreen = lazy(() => import('../screens/login/LoginScreen'));
const LockScreen = lazy(() => import('../screens/lock/LockScreen'));
const Shell = lazy(() => import('./Shell'));

type View =
  | { kind: 'loading' }
  | { kind: 'setup'; booksPath: string | null }
  | { kind: 'login'; notice?: MessageKey; detail?: string }
  | { kind: 'locked'; session: SessionInfo }
  | { kind: 'main'; session: SessionInfo };

export function Loading() {
  const t = useT();
  return (
    <Flex align="center" justify="center" style={{ height: '100vh' }}>
      <Spin size="large" description={t('app.loading')} />
    </Flex>
  );
}

/**
 * Marks the page with the screen that is up (`<html data-coffer-ready="login">`): rendered inside the
 * Suspense boundary, so it is set only once the books are open and the screen's code has loaded — the
 * signal end-to-end tests wait for instead of the loading spinner's text.
 */
function ReadyMark({ kind }: { kind: View['kind'] }) {
  useEffect(() => {
    document.documentElement.dataset.cofferReady = kind;
    return () => {
      delete document.documentElement.dataset.cofferReady;
    };
  }, [kind]);
  return null;
}

export function App() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<View>({ kind: 'loading' });

  const start = useCallback(async () => {
    try {
      const status = await call('setup.status');
      if (status.needsFirstAdmin) return setView({ kind: 'setup', booksPath: status.booksPath });
      const { session } = await call('session.status');
      if (!session) return setView({ kind: 'login' });
      setView(session.locked ? { kind: 'locked', session } : { kind: 'main', session });
    } catch (e) {
      showError(message, e, t);
      setView({ kind: 'login' });
    }
  }, [message, t]);

  useEffect(() => {
    void start();
  }, [start]);

  useEffect(() => installSlashFocus(), []);

  // What one session read is not shown to the next one (another role sees other rows and buttons).
  const queries = useQueryClient();
  useEffect(() => {
    if (view.kind === 'login' || view.kind === 'setup') queries.clear();
  }, [view.kind, queries]);

  useEffect(
    () =>
      onSessionSignal((s) => {
        setView((v) => {
          if (s.kind === 'ended') {
            const notice: MessageKey =
              s.reason === 'session_idle'
                ? 'login.idleEnded'
                : s.reason === 'session_expired'
                  ? 'login.expiredEnded'
                  : s.reason === 'restored'
                    ? 'login.restored'
                    : 'login.sessionEnded';
            return { kind: 'login', notice, ...(s.detail ? { detail: s.detail } : {}) };
          }
          if (v.kind === 'main') return { kind: 'locked', session: v.session };
          return v;
        });
      }),
    [],
  );

  const lock = useCallback(() => {
    setView((v) => {
      if (v.kind !== 'main') return v;
      call('session.lock').catch((e: unknown) => showError(message, e, t));
      return { kind: 'locked', session: v.session };
    });
  }, [message, t]);

  const logout = useCallback(async (notice?: MessageKey) => {
    try {
      await call('session.logout');
    } catch {
      /* the session may already be gone; the login screen follows either way */
    }
    setView({ kind: 'login', ...(notice ? { notice } : {}) });
  }, []);

  const ended = useCallback((notice: MessageKey) => setView({ kind: 'login', notice }), []);

  let screen;
  switch (view.kind) {
    case 'loading':
      screen = <Loading />;
      break;
    case 'setup':
      screen = (
        <SetupScreen
          booksPath={view.booksPath}
          onDone={(session) => setView({ kind: 'main', session })}
          onDemoDone={(users) =>
            setView({ kind: 'login', notice: 'login.demoReady', detail: t('login.demoUsers', { users: users.join('、') }) })
          }
        />
      );
      break;
    case 'login':
      screen = <LoginScreen notice={view.notice} detail={view.detail} onLoggedIn={(session) => setView({ kind: 'main', session })} />;
      break;
    case 'locked':
      screen = (
        <LockScreen
          session={view.session}
          onUnlocked={(session) => setView({ kind: 'main', session })}
          onEnded={() => setView({ kind: 'login' })}
          onLogout={() => void logout()}
        />
      );
      break;
    case 'main':
      screen = (
        <SessionContext.Provider value={{ session: view.session, lock, logout: () => void logout() }}>
          <Shell onSessionEnded={ended} />
        </SessionContext.Provider>
      );
      break;
  }
  return (
    <Suspense fallback={<Loading />}>
      {view.kind !== 'loading' && <ReadyMark kind={view.kind} />}
      {screen}
    </Suspense>
  );
}
