// English refusal texts: the same templates the main process writes its messages with, so the CLI,
// the logs and the console in English say the same thing. Same keys as refusals.zh-CN.ts,
// problems.zh-CN.ts and statement-problems.zh-CN.ts.
import { REFUSAL_CODES, REFUSAL_EN } from '../../../main/domain/refusals';
import type { refusalsZhCN } from './refusals.zh-CN';
import type { problemsZhCN } from './problems.zh-CN';
import type { statementProblemsZhCN } from './statement-problems.zh-CN';

export const refusalsEn = Object.fromEntries(REFUSAL_CODES.map((c) => [`refusal.${c}`, REFUSAL_EN[c]])) as Record<
  keyof typeof refusalsZhCN | keyof typeof problemsZhCN | keyof typeof statementProblemsZhCN,
  string
>;
