// The accountant's words (issue 13 §1): request numbers, people, accounts by subject, business actions.
import type { wordsZhCN } from './words.zh-CN';

export const wordsEn: Record<keyof typeof wordsZhCN, string> = {
  'request.source': 'Source',
  'request.source.counter': 'Entered at the counter',
  'request.platformRef': 'Platform reference',
};
