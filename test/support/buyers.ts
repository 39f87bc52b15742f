// Invoice buyers the tests and the end-to-end seeds share (no vitest here: Playwright loads it too).
import type { Buyer } from '../../main/domain/invoice-buyer';

/** A company buyer of an ordinary invoice (杭州某某科技有限公司, a valid unified social credit code), nothing optional filled in. */
export const companyBuyer = (over: Partial<Buyer> = {}): Buyer => ({
  invoiceType: 'ordinary',
  name: '杭州某某科技有限公司',
  taxpayerId: '91350100M000100Y43',
  address: null,
  phone: null,
  bankName: null,
  bankAccount: null,
  naturalPerson: false,
  email: null,
  remarks: null,
  ...over,
});
