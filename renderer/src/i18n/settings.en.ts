// Settings: each setting's name and meaning, values in their units, the proposal form and the change history.
import type { settingsZhCN } from './settings.zh-CN';

export const settingsEn: Record<keyof typeof settingsZhCN, string> = {
  'rules.key.conversion.rules': 'Conversion rules',
  'rules.describe.conversion.rules':
    'How money becomes coins: base rate, step tiers with bonus, first-recharge bonus, rounding, and a rate per channel. Edited under Conversion rules.',
  'rules.key.approval.dualAboveFen': 'Two approvers above',
  'rules.describe.approval.dualAboveFen': 'A recharge above this amount needs two different approvers.',
  'rules.key.invoice.product': 'Invoice product',
  'rules.describe.invoice.product':
    'What an invoice line for coins says: item name, tax classification code, rate, not taxable, and which invoice types may be issued. Edited under Invoicing.',
  'rules.key.revenue.method': 'Revenue: cost method',
  'rules.describe.revenue.method':
    "Which recharge lots a wallet's use of coins draws on in the month-end revenue run: first in, first out, or weighted average. Applies by month.",
  'rules.key.revenue.breakageBp': 'Expected unused share',
  'rules.describe.revenue.breakageBp':
    'The share of coins expected never to be used, recognised in proportion to use; 0% is off. Applies by month.',
  'rules.key.revenue.vatRate': 'Output VAT rate on revenue',
  'rules.describe.revenue.vatRate':
    'The rate at which the month-end revenue run charges output VAT on coins used (6% by default). Applies by month.',

  'setting.rulesCount': '{n|rule|rules} ({on} on)',
  'setting.mapCount': '{n|subject|subjects}',
  'setting.mapNone': 'None (subjects export under their own codes)',
  'setting.breakageOff': '0% (off)',
  'setting.yes': 'Yes',
  'setting.no': 'No',
  'setting.fromMonth': 'from {month}',
  'setting.monthlyNote':
    'By month: from 00:00 Beijing time on the 1st of the month chosen; that month must be open and have no revenue run.',
  'setting.fourEyesNote': 'Takes effect only once another admin confirms it.',
  'setting.change': 'Before → after',
  'setting.people': 'Proposed / decided',
  'setting.proposedBy': 'Proposed: ',
  'setting.confirmedBy': 'Confirmed: ',
  'setting.rejectedBy': 'Rejected: ',
  'setting.noChanges': 'No changes yet',
  'setting.actions': 'Actions',
  'setting.edit': 'Propose',
  'setting.editThere': 'Edit',
  'setting.editTitle': 'Propose a change: {name}',
  'setting.now': 'In force',
  'setting.newValue': 'New value',
  'setting.upcoming': 'From {when}: {value}',
  'setting.need.yuan': 'An amount from 0 to {max} yuan, at most two decimals',
  'setting.need.percent': 'A percentage from 0% to {max}%, at most two decimals',
  'setting.need.rate': 'A rate below 100%, at most two decimals',
  'setting.need.whole': 'A whole number from {min} to {max}',
  'setting.need.coinValue': 'Yuan per coin, at most 6 decimals',
  'setting.need.subject': 'Choose a leaf subject',
  'setting.need.choice': 'Choose one',
  'setting.sameAsNow': 'As in force',
  'setting.pendingAlert': '{n|settings change waits|settings changes wait} for another admin to confirm; none applies before then.',
  'setting.showChanges': 'Show changes',
  'setting.channelRate': '{channel}: {rate}',
  'setting.same': 'The new value is the one in force',
};
