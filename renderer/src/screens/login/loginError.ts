// The login screen's message for a refused login, built from the API's details (reason, attempts
// left) in the current language; any other refusal by its code.
import { ApiError } from '../../api/coffer';
import { formatTime } from '../../format/dates';
import type { TFunction } from '../../i18n';
import { errorText } from '../../app/errors';

export function loginErrorText(e: unknown, username: string, t: TFunction): string {
  if (!(e instanceof ApiError)) return errorText(e, t);
  const reason = e.details.reason;
  if (reason === 'staff_locked_out')
    return typeof e.details.until === 'number'
      ? t('login.lockedUntil', { user: username, time: formatTime(e.details.until) })
      : t('login.locked', { user: username });
  if (reason === 'staff_disabled') return t('login.disabled', { user: username });
  if (reason === 'wrong_login') {
    const left = e.details.attemptsLeft;
    return typeof left === 'number' ? `${t('login.wrong')} ${t('login.attemptsLeft', { n: left })}` : t('login.wrong');
  }
  return errorText(e, t);
}
