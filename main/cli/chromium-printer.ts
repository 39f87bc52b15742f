// The CLI's printer: a Chromium-family browser on this machine (Chromium, Chrome or Edge) prints the page
// to PDF headless with a throw-away profile (the pages Coffer prints forbid scripts by their own content
// policy). Named by COFFER_CHROMIUM, or found where those browsers install themselves.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Printer } from '../api/ports';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/microsoft-edge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
];

/** The browser to print with, or null when this machine has none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env.COFFER_CHROMIUM;
  if (named) return fs.existsSync(named) ? named : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export function chromiumPrinter(binary: string, timeoutMs = 120_000): Printer {
  return {
    async htmlToPdf(html) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-print-'));
      try {
        const page = path.join(dir, 'page.html');
        const pdf = path.join(dir, 'page.pdf');
        fs.writeFileSync(page, html, 'utf8');
        await new Promise<void>((resolve, reject) =>
          execFile(
            binary,
            [
              '--headless',
              '--disable-gpu',
              '--no-sandbox',
              '--no-first-run',
              '--no-pdf-header-footer',
              `--user-data-dir=${path.join(dir, 'profile')}`,
              `--print-to-pdf=${pdf}`,
              `file://${page}`,
            ],
            { timeout: timeoutMs },
            (err, _out, stderr) =>
              err || !fs.existsSync(pdf) ? reject(new Error(`${binary} did not print the PDF: ${err?.message ?? stderr}`)) : resolve(),
          ),
        );
        return fs.readFileSync(pdf);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
