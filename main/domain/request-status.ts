// A recharge request's states, in the order a request moves through them: unpaid, money found for it
// (in part, in full, more), approved, credited, and — when its record is reversed — reversed; or
// rejected or expired. The books store them and the console tags and filters by them.
export const REQUEST_STATUSES = [
  'submitted',
  'partly_paid',
  'matched',
  'overpaid',
  'approved',
  'credited',
  'reversed',
  'rejected',
  'expired',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
