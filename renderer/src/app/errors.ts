// Showing a refused call: every error the main process throws carries a code and parameters
// (details.reason, details.params) and is translated by them; only an error from elsewhere (a newer
// main process, the bridge itself) falls back to its English message.
import type { MessageInstance } from 'antd/es/message/interface';
import { ApiError } from '../api/coffer';
import type { TFunction } from '../i18n';
import { refusalOfError, refusalText } from '../i18n/refusal-text';

export function errorText(e: unknown, t: TFunction): string {
  if (e instanceof ApiError) {
    const refusal = refusalOfError(e.details);
    if (refusal) return refusalText(t, refusal);
    if (e.code === 'FORBIDDEN') return `${t('error.forbidden')} (${e.message})`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Show an error unless it is a session problem the app already handles (login / lock screen). */
export function showError(message: MessageInstance, e: unknown, t: TFunction): void {
  if (e instanceof ApiError && (e.code === 'UNAUTHENTICATED' || (e.code === 'LOCKED' && e.details.reason === 'screen_locked'))) return;
  if (e instanceof ApiError && e.code === 'CANCELLED') return;
  void message.error({ content: errorText(e, t), duration: 6 });
}
