// A button's long action (a verification, an export, a print): `busy` while it runs, and a failure shown
// as every failure is (showError).
import { App as AntApp } from 'antd';
import { useState } from 'react';
import { showError } from '../app/errors';
import { useT } from '../i18n';

export function useBusy(): [busy: boolean, run: (work: () => Promise<unknown>) => Promise<void>] {
  const t = useT();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}
