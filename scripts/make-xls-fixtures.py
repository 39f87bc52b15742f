#!/usr/bin/python3
# Writes test/fixtures/statements/xls/*.xls from the CSV fixtures with an independent BIFF8 writer:
# Debian's python3-xlwt 1.3.0 (apt-get install python3-xlwt; run with /usr/bin/python3).
# Dates become real date cells, amounts and balances number cells with thousands formats, so the
# reader's XF/FORMAT date detection and number text are exercised, not just strings.
import csv
import datetime
import os
import sys

import xlwt

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'statements')
OUT = os.path.join(ROOT, 'xls')
os.makedirs(OUT, exist_ok=True)

DATE_CN = xlwt.easyxf(num_format_str='yyyy"年"mm"月"dd"日"')
DATE_ISO = xlwt.easyxf(num_format_str='yyyy-mm-dd')
TIME = xlwt.easyxf(num_format_str='hh:mm:ss')
MONEY = xlwt.easyxf(num_format_str='#,##0.00')
SIGNED = xlwt.easyxf(num_format_str='+#,##0.00;-#,##0.00')


def rows(name):
    with open(os.path.join(ROOT, 'cn', name), encoding='utf-8-sig', newline='') as f:
        return list(csv.reader(f))


def num(text):
    return float(text.replace(',', '').replace('+', ''))


def write(ws, r, c, value, style=None):
    if style is None:
        ws.write(r, c, value)
    else:
        ws.write(r, c, value, style)


def sheet_from_csv(csv_name, sheet_name, cell):
    # A workbook of one sheet copied from a CSV fixture, saved beside it as .xls: cell(r, c, text) gives
    # a typed (value, style) for the cells the layout types, or None to write the text as it is (an
    # empty text is left out).
    wb = xlwt.Workbook(encoding='utf-8')
    ws = wb.add_sheet(sheet_name)
    for r, row in enumerate(rows(csv_name + '.utf8.csv')):
        for c, v in enumerate(row):
            typed = cell(r, c, v)
            if typed is not None:
                write(ws, r, c, *typed)
            elif v != '':
                write(ws, r, c, v)
    wb.save(os.path.join(OUT, csv_name + '.xls'))


def icbc_cell(r, c, v):
    # ICBC layout: date cells in a Chinese custom format, signed amounts as numbers (one left as the
    # bank's "+1,000,000.00" text), balances as numbers, the account column as text.
    if r > 3 and c == 0:
        return datetime.datetime.strptime(v, '%Y-%m-%d'), DATE_CN
    if r > 3 and c == 8 and v != '+1,000,000.00':
        return num(v), SIGNED
    if r > 3 and c == 9:
        return num(v), MONEY
    return None


def ccb_cell(r, c, v):
    # CCB layout: 20240301 dates as text, counterparty name and account in one cell.
    if r > 4 and c in (5, 6):
        return num(v), MONEY
    return None


def icbc():
    sheet_from_csv('icbc', '历史明细', icbc_cell)


def ccb():
    sheet_from_csv('ccb', '交易明细', ccb_cell)


def corporate():
    # Generic corporate layout in the 1904 date system, behind a cover sheet, with time cells, debit/
    # credit numbers, and 120 more invented lines so the shared string table runs over CONTINUE records.
    wb = xlwt.Workbook(encoding='utf-8')
    wb.dates_1904 = True
    wb.add_sheet('封面').write(0, 0, '账户明细 (cover sheet)')
    ws = wb.add_sheet('明细')
    data = rows('corporate.utf8.csv')
    total = data[-1]
    data = data[:-1]
    balance = 2203547.50
    day = datetime.datetime(2024, 3, 7)
    for k in range(120):
        amount = 100 + k * 7 + (k % 100) / 100
        balance = round(balance + amount, 2)
        when = day + datetime.timedelta(days=k // 20, seconds=8 * 3600 + k * 97)
        data.append([
            when.strftime('%Y-%m-%d'), when.strftime('%H:%M:%S'), '', f'{amount:,.2f}', f'{balance:,.2f}',
            f'客户{k:03d}号贸易有限公司', f'62220210{k:011d}', '中国工商银行', '汇入汇款', '充值',
            f'CZ{k:06d} 第{k}笔充值 备注说明文字', f'SN2024031{k:07d}',
        ])
    for r, row in enumerate(data):
        for c, v in enumerate(row):
            if r > 6 and c == 0:
                write(ws, r, c, datetime.datetime.strptime(v, '%Y-%m-%d'), DATE_ISO)
            elif r > 6 and c == 1:
                t = datetime.datetime.strptime(v, '%H:%M:%S')
                write(ws, r, c, datetime.time(t.hour, t.minute, t.second), TIME)
            elif r > 6 and c in (2, 3, 4) and v != '':
                write(ws, r, c, num(v), MONEY)
            elif v != '':
                write(ws, r, c, v)
    ws.write(len(data), 0, total[0])
    wb.save(os.path.join(OUT, 'corporate.xls'))


icbc()
ccb()
corporate()
sys.stdout.write('written to ' + OUT + '\n')
