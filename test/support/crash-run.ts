// Running test/support/crash-child.ts (a writer posting batch after batch on a books file or URL) until
// it has committed some batches, then killing it with SIGKILL: for the crash tests of both engines.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join(REPO, 'test', 'support', 'crash-child.ts');

export interface Killed {
  committed: number;
  lastLine: string;
}

/** Runs the child until it has committed `after` batches, waits `delayMs`, then SIGKILLs it. */
export function runAndKill(books: string, n: number, tag: string, range: string, after: number, delayMs: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, books, String(n), tag, range], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = 0;
    let lastLine = '';
    let buf = '';
    let stderr = '';
    let armed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lastLine = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (lastLine.startsWith('committed ')) committed++;
      }
      if (!armed && committed >= after) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
      else resolve({ committed, lastLine });
    });
  });
}
