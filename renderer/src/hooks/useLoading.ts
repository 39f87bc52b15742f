// A screen's load: the loading flag is up while `work` runs, and a failure is shown, not thrown.
import { App as AntApp } from 'antd';
import { useCallback, useState } from 'react';
import { showError } from '../app/errors';
import { useT } from '../i18n';

/** `load` changes only when `work` does, so it can sit in an effect's dependencies. */
export function useLoading(work: () => Promise<void>) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      await work();
    } catch (e) {
      showError(message, e, t);
    } finally {
      setLoading(false);
    }
  }, [work, message, t]);
  return { loading, load };
}
