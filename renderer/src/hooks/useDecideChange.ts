// Another admin confirms or rejects a proposed settings change (four eyes); the same for every rules screen.
import { App as AntApp } from 'antd';
import { call } from '../api/coffer';
import { showError } from '../app/errors';
import { useT } from '../i18n';

export type ChangeDecision = 'confirmed' | 'rejected';

/** Decides the change, says so, then runs `reload`; a refusal is shown, not thrown. */
export function useDecideChange(reload: () => Promise<unknown>) {
  const t = useT();
  const { message } = AntApp.useApp();
  return async (c: { id: number }, decision: ChangeDecision) => {
    try {
      await call('settings.decide', { id: c.id, decision });
      void message.success(decision === 'confirmed' ? t('rules.confirmed') : t('rules.rejected'));
      await reload();
    } catch (e) {
      showError(message, e, t);
    }
  };
}
