// A streaming writer for workbooks whose every cell is text formatted '@' (the tax bureau's batch-import
// workbook): the same parts, in the same order and the same XML, that exceljs's streaming WorkbookWriter
// writes for such a workbook with `useSharedStrings: false` (cells `t="str"`, one style `numFmtId="49"`,
// columns with widths, a hidden sheet, the description in docProps/core.xml), so a reader cannot tell
// them apart. exceljs builds a cell object per cell and renders it through its XML stream: 100,000
// invoices took 11–14 s there; rows here are strings joined into pages of XML and deflated on the
// thread pool while the next page is built (issue 14 §4).
//
// The zip: entries streamed with data descriptors, deflated (level 1, as the exceljs writer was set to)
// one page at a time, each page ending on a sync flush so the pages join into one deflate stream.
// Entries and the file stay under 4 GiB (no zip64): a sheet that would pass it is refused.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { THEME_XML } from './xlsx-theme';

const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const LIMIT = 0xffffffff;

/** Text as exceljs's xmlEncode writes it: the five entities, and control characters XML cannot hold dropped. */
// eslint-disable-next-line no-control-regex
const ENCODE = /["&'<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const ENTITY: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
export const xmlText = (s: string): string => s.replace(ENCODE, (c) => ENTITY[c] ?? '');

/** Column letters for 1-based column numbers, computed once per column. */
const LETTERS: string[] = [];
function letters(col: number): string {
  let s = LETTERS[col];
  if (s === undefined) {
    s = '';
    for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    LETTERS[col] = s;
  }
  return s;
}

/** DOS date and time of a moment (zip headers), local time as zip tools read it. */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const deflatePage = (buf: Buffer, level: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    zlib.deflateRaw(buf, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH }, (e, out) => (e ? reject(e) : resolve(out))),
  );
/** The last block of a deflate stream: empty and final. */
const FINAL_BLOCK = zlib.deflateRawSync(Buffer.alloc(0));

interface Central {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

/** A zip file written entry after entry, each deflated page by page. */
class ZipOut {
  private offset = 0;
  private readonly central: Central[] = [];
  private readonly stamp: { time: number; date: number };
  constructor(
    private readonly fd: number,
    private readonly level: number,
    now: Date,
  ) {
    this.stamp = dosTime(now);
  }

  private put(buf: Buffer): void {
    fs.writeSync(this.fd, buf);
    this.offset += buf.length;
  }

  /** Starts an entry; its text goes in with `write`, and `end` closes it. */
  entry(name: string) {
    const nameBuf = Buffer.from(name, 'utf8');
    const start = this.offset;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4); // version needed: deflate
    head.writeUInt16LE(0x0808, 6); // sizes and CRC in the data descriptor; UTF-8 name
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt16LE(this.stamp.time, 10);
    head.writeUInt16LE(this.stamp.date, 12);
    head.writeUInt16LE(nameBuf.length, 26);
    this.put(head);
    this.put(nameBuf);
    let crc = 0;
    let usize = 0;
    let csize = 0;
    let tail: Promise<void> = Promise.resolve();
    const check = () => {
      if (usize > LIMIT || this.offset > LIMIT) throw new Error(`${name} would pass 4 GiB, more than this workbook writer takes`);
    };
    return {
      /** Queues a page: deflated on the thread pool while the caller builds the next; waits for the one before. */
      write: async (text: string | Buffer): Promise<void> => {
        if (!text.length) return;
        const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
        crc = zlib.crc32(buf, crc);
        usize += buf.length;
        check();
        const deflated = deflatePage(buf, this.level);
        const before = tail;
        tail = (async () => {
          const out = await deflated;
          await before;
          this.put(out);
          csize += out.length;
        })();
        tail.catch(() => {}); // a failure is met by the next write or end, whoever waits for it
        await before;
      },
      end: async (): Promise<void> => {
        await tail;
        this.put(FINAL_BLOCK);
        csize += FINAL_BLOCK.length;
        const desc = Buffer.alloc(16);
        desc.writeUInt32LE(0x08074b50, 0);
        desc.writeUInt32LE(crc >>> 0, 4);
        desc.writeUInt32LE(csize, 8);
        desc.writeUInt32LE(usize, 12);
        this.put(desc);
        check();
        this.central.push({ name: nameBuf, crc: crc >>> 0, csize, usize, offset: start });
      },
    };
  }

  async file(name: string, text: string): Promise<void> {
    const e = this.entry(name);
    await e.write(text);
    await e.end();
  }

  finish(): void {
    const cdStart = this.offset;
    for (const c of this.central) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4); // made by: version 2.0, MS-DOS attributes
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(c.crc, 16);
      h.writeUInt32LE(c.csize, 20);
      h.writeUInt32LE(c.usize, 24);
      h.writeUInt16LE(c.name.length, 28);
      h.writeUInt32LE(c.offset, 42);
      this.put(h);
      this.put(c.name);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(this.offset - cdStart, 12);
    end.writeUInt32LE(cdStart, 16);
    this.put(end);
    if (this.offset > LIMIT) throw new Error('the workbook would pass 4 GiB, more than this workbook writer takes');
  }
}

const SHEET_OPEN =
  `${DECL}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">` +
  '<sheetFormatPr defaultRowHeight="15" outlineLevelRow="0" outlineLevelCol="0" x14ac:dyDescent="55"/>';
const SHEET_CLOSE =
  '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
  '<pageSetup orientation="portrait" horizontalDpi="4294967295" verticalDpi="4294967295" scale="100" fitToWidth="1" fitToHeight="1"/></worksheet>';

/** `<cols>`: each run of equal widths one `<col>`, every column text-styled (as exceljs compresses them). */
function colsXml(widths: readonly number[]): string {
  if (!widths.length) return '';
  let out = '<cols>';
  for (let i = 0; i < widths.length;) {
    let j = i;
    while (j + 1 < widths.length && widths[j + 1] === widths[i]) j++;
    out += `<col min="${i + 1}" max="${j + 1}" width="${widths[i]}" style="1" customWidth="1"/>`;
    i = j + 1;
  }
  return `${out}</cols>`;
}

/** A sheet's XML goes to the zip a page of this many bytes at a time. */
const PAGE_BYTES = 1 << 21;

/**
 * A sheet's XML as UTF-8 in one of two byte pages used in turn: one being deflated while the other
 * fills. Rows are written into the page as they are made, never joined into one large string first —
 * at 100,000 invoices those strings and their copies were most of the export's resident size.
 */
class XmlPages {
  private readonly pages = [Buffer.allocUnsafe(PAGE_BYTES), Buffer.allocUnsafe(PAGE_BYTES)];
  private turn = 0;
  private length = 0;
  constructor(private readonly send: (page: Buffer) => Promise<void>) {}

  async add(text: string): Promise<void> {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.length + text.length * 3 > PAGE_BYTES) await this.flush();
    if (text.length * 3 > PAGE_BYTES) return this.send(Buffer.from(text, 'utf8'));
    this.length += this.pages[this.turn]!.write(text, this.length, 'utf8');
  }

  /** Sends the page filled so far; the send waits for the page before, so the other page is free again. */
  async flush(): Promise<void> {
    if (this.length === 0) return;
    const page = this.pages[this.turn]!.subarray(0, this.length);
    this.turn ^= 1;
    this.length = 0;
    await this.send(page);
  }
}

export interface TextSheet {
  /**
   * The next rows (numbered from 1, one after another): each string a text cell, null an empty cell in a
   * text-formatted column (the sheet's widths give the columns). A row with no string is left out of the
   * file, its number used (as exceljs does).
   */
  rows(rows: readonly (readonly (string | null)[])[]): Promise<void>;
  /** The last rows are written; the sheet is closed. */
  end(): Promise<void>;
}

export interface TextWorkbook {
  /** A sheet; sheets are written one after the other, each ended before the next is added. */
  sheet(name: string, o?: { widths?: readonly number[]; hidden?: boolean }): TextSheet;
  /** Writes the workbook's other parts and closes the file. */
  close(): Promise<void>;
  /** Closes the file after a failure (the caller removes it); nothing more can be written. */
  abort(): void;
}

/** Opens `file` for a text workbook; `description` goes into docProps/core.xml. */
export async function openTextWorkbook(
  file: string,
  o: { description?: string | null; level?: number; now?: Date } = {},
): Promise<TextWorkbook> {
  const now = o.now ?? new Date();
  const fd = fs.openSync(file, 'w');
  const zip = new ZipOut(fd, o.level ?? 1, now);
  const sheets: { name: string; hidden: boolean }[] = [];
  let open: Promise<void> | null = null;
  let closed = false;
  try {
    await zip.file('xl/theme/theme1.xml', THEME_XML);
    await zip.file(
      '_rels/.rels',
      `${DECL}\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    );
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }

  const fail = (e: unknown): never => {
    if (!closed) {
      closed = true;
      fs.closeSync(fd);
    }
    throw e;
  };

  return {
    sheet(name, so = {}) {
      if (open || closed) throw new Error('a workbook sheet is still open or the workbook is closed');
      sheets.push({ name, hidden: so.hidden ?? false });
      const e = zip.entry(`xl/worksheets/sheet${sheets.length}.xml`);
      const xml = new XmlPages((page) => e.write(page).catch(fail));
      const opening = xml.add(`${SHEET_OPEN}${colsXml(so.widths ?? [])}<sheetData>`);
      let r = 0;
      let done: () => void = () => {};
      open = new Promise<void>((resolve) => (done = resolve));
      return {
        async rows(rows) {
          await opening;
          for (const cells of rows) {
            r++;
            let body = '';
            let any = false;
            for (let i = 0; i < cells.length; i++) {
              const v = cells[i];
              const ref = `${letters(i + 1)}${r}`;
              if (v === null || v === undefined) body += `<c r="${ref}" s="1"/>`;
              else {
                any = true;
                body += `<c r="${ref}" s="1" t="str"><v>${xmlText(v)}</v></c>`;
              }
            }
            if (any) await xml.add(`<row r="${r}" spans="1:${cells.length}" x14ac:dyDescent="0.25">${body}</row>`);
          }
        },
        async end() {
          await opening;
          await xml.add(SHEET_CLOSE);
          await xml.flush();
          await e.end().catch(fail);
          open = null;
          done();
        },
      };
    },
    abort() {
      if (!closed) {
        closed = true;
        fs.closeSync(fd);
      }
    },
    async close() {
      if (open) throw new Error('a workbook sheet is still open');
      try {
        const n = sheets.length;
        const overrides = sheets
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('');
        await zip.file(
          '[Content_Types].xml',
          `${DECL}\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
        );
        const titles = sheets.map((s) => `<vt:lpstr>${xmlText(s.name)}</vt:lpstr>`).join('');
        await zip.file(
          'docProps/app.xml',
          `${DECL}\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${n}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="${n}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`,
        );
        const when = now.toISOString().replace(/[.]\d{3}/, '');
        const description = o.description ? `<dc:description>${xmlText(o.description)}</dc:description>` : '';
        await zip.file(
          'docProps/core.xml',
          `${DECL}\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>ExcelJS</dc:creator>${description}<cp:lastModifiedBy>ExcelJS</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`,
        );
        await zip.file(
          'xl/styles.xml',
          `${DECL}\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main"><fonts count="1" x14ac:knownFonts="1"><font><color theme="1"/><family val="2"/><scheme val="minor"/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/><extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext><ext uri="{9260A510-F301-46a8-8635-F512D64BE5F5}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:timelineStyles defaultTimelineStyle="TimeSlicerStyleLight1"/></ext></extLst></styleSheet>`,
        );
        const rels = sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 3}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('');
        await zip.file(
          'xl/_rels/workbook.xml.rels',
          `${DECL}\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>${rels}</Relationships>`,
        );
        const list = sheets
          .map(
            (s, i) => `<sheet sheetId="${i + 1}" name="${xmlText(s.name)}" state="${s.hidden ? 'hidden' : 'visible'}" r:id="rId${i + 3}"/>`,
          )
          .join('');
        await zip.file(
          'xl/workbook.xml',
          `${DECL}\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><fileVersion appName="xl" lastEdited="5" lowestEdited="5" rupBuild="9303"/><workbookPr defaultThemeVersion="164011" filterPrivacy="1"/><sheets>${list}</sheets><calcPr calcId="171027"/></workbook>`,
        );
        zip.finish();
      } catch (e) {
        fail(e);
      }
      closed = true;
      fs.closeSync(fd);
    },
  };
}
