// The login screen's message for a refused login, built from the API's details (reason, attempts
// left) in the current language; the API's own message when the reason is unknown.
import { ApiError } from '../../api/coffer';
import { formatTime } from '../../format/dates';
import type { TFunction } from '../../i18n';

export function loginErrorText(e: unknown, username: string, t: TFunction): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const reason = e.details.reason;
  if (reason === 'locked')
    return typeof e.details.until === 'number'
      ? t('login.lockedUntil', { user: username, time: formatTime(e.details.until) })
      : t('login.locked', { user: username });
  if (reason === 'disabled') return t('login.disabled', { user: username });
  if (reason === 'unknown_or_wrong') {
    const left = e.details.attemptsLeft;
    return typeof left === 'number' ? `${t('login.wrong')} ${t('login.attemptsLeft', { n: left })}` : t('login.wrong');
  }
  return e.message;
}
