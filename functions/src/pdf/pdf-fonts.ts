import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import {
  type Color,
  degrees,
  drawText,
  PDFDict,
  type PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFPage,
  type PDFRef,
  PDFString,
} from 'pdf-lib';

/*
 * Fonts of the one-page PDF. Text is drawn with DejaVu Sans Condensed (regular and bold, from the
 * `dejavu-fonts-ttf` package), embedded as subsets, so Latin, Greek, Cyrillic and many more scripts print
 * as written. DejaVu has no Chinese, Japanese or Korean characters: those are drawn with the standard CJK
 * fonts every PDF reader provides (Adobe-GB1 / Adobe-Korea1 collections through the UCS-2 CMaps, not
 * embedded), with a ToUnicode map so copy and search give back the characters written. A character no font
 * here can draw is shown as U+FFFD and the page says so in its footer.
 *
 * The font files are looked for, in order: a directory passed by the caller; `fonts/` beside the running
 * module (functions/dist/fonts, copied there by functions/build.mjs, for `npm start` and Azure Functions);
 * the dejavu-fonts-ttf package as Node resolves it (running from source, e.g. vitest); the same package
 * from the working directory; the system's DejaVu directory.
 */

export const FONT_FILES = {
  regular: 'DejaVuSansCondensed.ttf',
  bold: 'DejaVuSansCondensed-Bold.ttf',
} as const;

export class PdfFontMissingError extends Error {
  constructor(readonly searched: string[]) {
    super(
      `The PDF font files ${FONT_FILES.regular} and ${FONT_FILES.bold} were not found. Looked in: ${searched.join(
        '; ',
      )}. Install the dejavu-fonts-ttf package (a dependency of @cosell/functions) or run the functions build, which copies them to functions/dist/fonts.`,
    );
    this.name = 'PdfFontMissingError';
  }
}

function packageFontDir(from: string): string | undefined {
  try {
    const require = createRequire(from);
    return path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  } catch {
    return undefined;
  }
}

/** Where the font files are looked for, in order. */
export function fontSearchDirs(fontDir?: string): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const cwd = process.cwd();
  const dirs = [
    fontDir,
    path.join(here, 'fonts'),
    packageFontDir(import.meta.url),
    packageFontDir(path.join(cwd, 'package.json')),
    path.join(cwd, 'dist/fonts'),
    path.join(cwd, 'functions/dist/fonts'),
    '/usr/share/fonts/truetype/dejavu',
  ];
  return [...new Set(dirs.filter((d): d is string => typeof d === 'string' && d !== ''))];
}

export interface FontFiles {
  dir: string;
  regular: Uint8Array;
  bold: Uint8Array;
}

const loaded = new Map<string, FontFiles>();

/** The two font files, read once per directory. Throws PdfFontMissingError naming every place looked. */
export function loadFontFiles(fontDir?: string): FontFiles {
  const searched = fontSearchDirs(fontDir);
  for (const dir of searched) {
    const cached = loaded.get(dir);
    if (cached) return cached;
    const regular = path.join(dir, FONT_FILES.regular);
    const bold = path.join(dir, FONT_FILES.bold);
    if (fs.existsSync(regular) && fs.existsSync(bold)) {
      const files = { dir, regular: fs.readFileSync(regular), bold: fs.readFileSync(bold) };
      loaded.set(dir, files);
      return files;
    }
  }
  throw new PdfFontMissingError(searched);
}

/* ---------- CJK through the standard (non-embedded) CID fonts ---------- */

interface CjkCollection {
  key: 'gb1' | 'korea1';
  baseFont: string;
  encoding: string;
  ordering: string;
  supplement: number;
}

const GB1: CjkCollection = {
  key: 'gb1',
  baseFont: 'STSong-Light',
  encoding: 'UniGB-UCS2-H',
  ordering: 'GB1',
  supplement: 4,
};
const KOREA1: CjkCollection = {
  key: 'korea1',
  baseFont: 'HYSMyeongJo-Medium',
  encoding: 'UniKS-UCS2-H',
  ordering: 'Korea1',
  supplement: 1,
};

/** The CJK collection that draws `cp` (full-width, 1 em), or undefined. Basic Multilingual Plane only. */
function cjkCollectionOf(cp: number): CjkCollection | undefined {
  if ((cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f))
    return KOREA1;
  if (
    (cp >= 0x2e80 && cp <= 0x2fdf) ||
    (cp >= 0x3000 && cp <= 0x30ff) ||
    (cp >= 0x31f0 && cp <= 0x31ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff01 && cp <= 0xff5e)
  )
    return GB1;
  return undefined;
}

class CjkFont {
  readonly ref: PDFRef;
  private readonly toUnicode: PDFRef;
  readonly used = new Set<number>();
  private readonly keys = new Map<PDFPage, PDFName>();

  constructor(
    private readonly doc: PDFDocument,
    readonly collection: CjkCollection,
  ) {
    const ctx = doc.context;
    this.toUnicode = ctx.nextRef();
    const descriptor = ctx.register(
      ctx.obj({
        Type: 'FontDescriptor',
        FontName: collection.baseFont,
        Flags: 6,
        FontBBox: [-25, -254, 1000, 880],
        ItalicAngle: 0,
        Ascent: 880,
        Descent: -120,
        CapHeight: 880,
        StemV: 93,
      }),
    );
    const cidSystemInfo = PDFDict.withContext(ctx);
    cidSystemInfo.set(PDFName.of('Registry'), PDFString.of('Adobe'));
    cidSystemInfo.set(PDFName.of('Ordering'), PDFString.of(collection.ordering));
    cidSystemInfo.set(PDFName.of('Supplement'), ctx.obj(collection.supplement));
    const cidFont = ctx.register(
      ctx.obj({
        Type: 'Font',
        Subtype: 'CIDFontType0',
        BaseFont: collection.baseFont,
        CIDSystemInfo: cidSystemInfo,
        FontDescriptor: descriptor,
        DW: 1000,
      }),
    );
    this.ref = ctx.register(
      ctx.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: `${collection.baseFont}-${collection.encoding}`,
        Encoding: collection.encoding,
        DescendantFonts: [cidFont],
        ToUnicode: this.toUnicode,
      }),
    );
  }

  keyOn(page: PDFPage): PDFName {
    let key = this.keys.get(page);
    if (!key) {
      key = page.node.newFontDictionary(`CJK${this.collection.key}`, this.ref);
      this.keys.set(page, key);
    }
    return key;
  }

  /** Writes the ToUnicode CMap of the characters used: each 2-byte code is its own UCS-2 value. */
  finish(): void {
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
    const codes = [...this.used].sort((a, b) => a - b);
    const chunks: string[] = [];
    for (let i = 0; i < codes.length; i += 100) {
      const part = codes.slice(i, i + 100);
      chunks.push(
        `${part.length} beginbfchar\n${part.map((c) => `<${hex(c)}> <${hex(c)}>`).join('\n')}\nendbfchar`,
      );
    }
    const cmap = [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      `/CMapName /Adobe-${this.collection.ordering}-UCS2-ToUnicode def`,
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
      ...chunks,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
    this.doc.context.assign(this.toUnicode, this.doc.context.flateStream(cmap));
  }
}

/* ---------- Text in segments by font ---------- */

export type FontStyle = 'regular' | 'bold';

interface Segment {
  text: string;
  font: 'main' | CjkCollection;
}

const REPLACEMENT = '\uFFFD';

/**
 * Measures and draws text in one document: DejaVu for what it has, the CJK fonts for Chinese, Japanese
 * and Korean, U+FFFD for the rest (counted in `missingCharacters`).
 */
export class PdfText {
  /** Characters that no font here can draw (shown as U+FFFD). */
  readonly missingCharacters = new Set<string>();
  private readonly cjk = new Map<string, CjkFont>();
  private readonly segmentCache = new Map<string, Segment[]>();
  private readonly widthCache = new Map<string, number>();
  private readonly coverage: Record<FontStyle, FontMetrics>;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Record<FontStyle, PDFFont>,
    files: FontFiles,
  ) {
    this.coverage = { regular: coverageOf(files.regular), bold: coverageOf(files.bold) };
  }

  static async embed(doc: PDFDocument, fontDir?: string): Promise<PdfText> {
    const files = loadFontFiles(fontDir);
    doc.registerFontkit(fontkit);
    // No ligatures and no kerning: what is measured is exactly what is drawn, and each glyph maps to one character.
    const features = { liga: false, kern: false, calt: false, clig: false };
    const regular = await doc.embedFont(files.regular, { subset: true, features });
    const bold = await doc.embedFont(files.bold, { subset: true, features });
    return new PdfText(doc, { regular, bold }, files);
  }

  private segments(text: string, style: FontStyle): Segment[] {
    const cacheKey = `${style}\u0000${text}`;
    const cached = this.segmentCache.get(cacheKey);
    if (cached) return cached;
    const out: Segment[] = [];
    const push = (ch: string, font: Segment['font']) => {
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += ch;
      else out.push({ text: ch, font });
    };
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) push(' ', 'main');
      else if (this.coverage[style].hasGlyphForCodePoint(cp)) push(ch, 'main');
      else {
        const collection = cjkCollectionOf(cp);
        if (collection) push(ch, collection);
        else {
          this.missingCharacters.add(ch);
          push(REPLACEMENT, 'main');
        }
      }
    }
    this.segmentCache.set(cacheKey, out);
    return out;
  }

  /** The width of `text` at font size 1. */
  widthOf(text: string, style: FontStyle): number {
    const cacheKey = `${style}\u0000${text}`;
    const cached = this.widthCache.get(cacheKey);
    if (cached !== undefined) return cached;
    let width = 0;
    for (const seg of this.segments(text, style)) {
      // DejaVu: the sum of the glyphs' advances (no ligatures, no kerning: as drawn); the CJK collections: 1 em each.
      width += seg.font === 'main' ? this.coverage[style].advanceOf(seg.text) : [...seg.text].length;
    }
    this.widthCache.set(cacheKey, width);
    return width;
  }

  draw(
    page: PDFPage,
    text: string,
    options: { x: number; y: number; size: number; style: FontStyle; color: Color },
  ): number {
    let x = options.x;
    for (const seg of this.segments(text, options.style)) {
      if (seg.font === 'main') {
        page.drawText(seg.text, {
          x,
          y: options.y,
          size: options.size,
          font: this.fonts[options.style],
          color: options.color,
        });
        x += this.coverage[options.style].advanceOf(seg.text) * options.size;
      } else {
        const font = this.cjkFont(seg.font);
        const codes = [...seg.text].map((ch) => {
          const cp = ch.codePointAt(0) ?? 0x3000;
          font.used.add(cp);
          return cp.toString(16).toUpperCase().padStart(4, '0');
        });
        page.pushOperators(
          ...drawText(PDFHexString.of(codes.join('')), {
            color: options.color,
            font: font.keyOn(page),
            size: options.size,
            rotate: degrees(0),
            xSkew: degrees(0),
            ySkew: degrees(0),
            x,
            y: options.y,
          }),
        );
        x += codes.length * options.size;
      }
    }
    return x - options.x;
  }

  private cjkFont(collection: CjkCollection): CjkFont {
    let font = this.cjk.get(collection.key);
    if (!font) {
      font = new CjkFont(this.doc, collection);
      this.cjk.set(collection.key, font);
    }
    return font;
  }

  /** Call once before saving: writes the ToUnicode maps of the CJK fonts used. */
  finish(): void {
    for (const font of this.cjk.values()) font.finish();
  }
}

/** Which characters a font has and how wide they are (in em), read once per font file. */
class FontMetrics {
  private readonly advances = new Map<number, number>();
  private readonly font: ReturnType<typeof fontkit.create>;

  constructor(bytes: Uint8Array) {
    this.font = fontkit.create(bytes);
  }

  hasGlyphForCodePoint(cp: number): boolean {
    return this.font.hasGlyphForCodePoint(cp);
  }

  /** The advance of `text` at size 1: per character, without shaping (text is drawn without ligatures or kerning). */
  advanceOf(text: string): number {
    let width = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      let advance = this.advances.get(cp);
      if (advance === undefined) {
        advance = this.font.glyphForCodePoint(cp).advanceWidth / this.font.unitsPerEm;
        this.advances.set(cp, advance);
      }
      width += advance;
    }
    return width;
  }
}

const metricsCache = new WeakMap<Uint8Array, FontMetrics>();

function coverageOf(bytes: Uint8Array): FontMetrics {
  let metrics = metricsCache.get(bytes);
  if (!metrics) {
    metrics = new FontMetrics(bytes);
    metricsCache.set(bytes, metrics);
  }
  return metrics;
}
