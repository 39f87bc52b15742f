// A workbook a screen exported, read back: the stories check its rows against the services.
import ExcelJS from 'exceljs';
import { expect, type Page } from '@playwright/test';
import { JOB_OUTCOME } from './e2e-ui';

/**
 * Clicks `{prefix}-export`, waits for `{prefix}-saved` to name the file, and reads the first sheet's
 * rows (each without ExcelJS's empty column 0).
 */
export async function exportedRows(page: Page, prefix: string): Promise<unknown[][]> {
  await page.getByTestId(`${prefix}-export`).click();
  await expect(page.getByTestId(`${prefix}-saved`)).toBeVisible(JOB_OUTCOME);
  const file = (await page.getByTestId(`${prefix}-saved`).locator('.ant-typography').first().textContent())!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file.trim());
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}
