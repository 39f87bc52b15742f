export const CLI_BUNDLE: string;
export function cliBundleStale(): boolean;
export function buildCli(): Promise<string>;
