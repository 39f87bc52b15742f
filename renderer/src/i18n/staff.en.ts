// Staff four eyes (issue 11 §2). Same keys as staff.zh-CN.ts.
import type { staffZhCN } from './staff.zh-CN';

export const staffEn: Record<keyof typeof staffZhCN, string> = {
  'staffChange.title': 'Staff changes waiting for another admin',
  'staffChange.none': 'No staff changes waiting',
  'staffChange.what': 'Change',
  'staffChange.proposedBy': 'Proposed by',
  'staffChange.proposedAt': 'Proposed',
  'staffChange.kind.create': 'New user {user} ({role})',
  'staffChange.kind.role': "{user}'s role becomes {role}",
  'staffChange.kind.reset': "Reset {user}'s password",
  'staffChange.kind.unlock': 'Unlock {user}',
  'staffChange.kind.disable': 'Disable {user}',
  'staffChange.kind.enable': 'Enable {user}',
  'staffChange.confirm': 'Confirm',
  'staffChange.reject': 'Reject',
  'staffChange.own': 'Yours: another admin confirms it',
  'staffChange.proposed': 'Submitted; waits for another admin to confirm',
  'staffChange.confirmed': 'Confirmed',
  'staffChange.rejected': 'Rejected',
  'staffChange.resetIntro':
    '{user} will get a one-time code. It is made when another admin confirms and shown only to that admin; you never see it.',
  'staffChange.codeTitle': "{user}'s one-time code",
  'staffChange.codeBody':
    'Hand it to {user} in person. It is shown only this once; {user} must set a password of their own at first login.',
  'staffChange.codeDone': 'I have noted it',
  'staffChange.createIntro':
    'A new user gets no password from you: a one-time code is made when the change takes effect, to be replaced at first login.',
  'login.mustChangeTitle': 'Set a password of your own',
  'login.mustChangeIntro': 'You logged in with a one-time code. Set a password of your own to go on.',
  'login.lockedUntil': 'User {user} is locked after too many failed logins until {time} (or earlier by an unlock two admins confirm).',
};
