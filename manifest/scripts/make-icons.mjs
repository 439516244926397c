// Draws the two Teams app icons from SVG with Chromium (playwright-core) and writes them as PNG:
//   manifest/icons/color.png   192×192, the symbol (~96 px) on a solid square of the accent colour
//   manifest/icons/outline.png  32×32, the same symbol in pure white on transparent, no padding
// The symbol: a one-page plan whose three linked nodes are the vendor, the partner and the buyer.
// Teams wants outline pixels either white (255,255,255) or fully transparent, so the rendered
// outline is binarised (no anti-aliasing survives). Run: node manifest/scripts/make-icons.mjs
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const ICONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'icons');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const ACCENT = '#0B6E75';
const PAGE = '#FFFFFF';
const LINK = '#0B6E75';
const NODES = ['#0B6E75', '#F0A530', '#E0594B'];

/** 192×192: page 72×96 centred (x 60–132, y 48–144), top-right corner folded. */
const COLOR_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 192 192">
  <rect width="192" height="192" fill="${ACCENT}"/>
  <path d="M66 48 H112 L132 68 V138 Q132 144 126 144 H66 Q60 144 60 138 V54 Q60 48 66 48 Z" fill="${PAGE}"/>
  <path d="M112 48 V62 Q112 68 118 68 H132 Z" fill="#BFDDE0"/>
  <g stroke="${LINK}" stroke-width="5" stroke-linecap="round">
    <line x1="96" y1="80" x2="78" y2="114"/>
    <line x1="96" y1="80" x2="114" y2="114"/>
    <line x1="78" y1="114" x2="114" y2="114"/>
  </g>
  <circle cx="96" cy="80" r="10" fill="${NODES[0]}"/>
  <circle cx="78" cy="114" r="10" fill="${NODES[1]}"/>
  <circle cx="114" cy="114" r="10" fill="${NODES[2]}"/>
  <rect x="72" y="129" width="48" height="4" rx="2" fill="#BFDDE0"/>
</svg>`;

/**
 * 32×32: the same page as a solid white silhouette filling the height (no padding), with the fold
 * and the three linked nodes cut out, so the symbol survives binarisation at this size.
 */
const OUTLINE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  <defs>
    <mask id="cut">
      <rect width="32" height="32" fill="white"/>
      <path d="M22 0 V5 Q22 7 24 7 H29" fill="none" stroke="black" stroke-width="2"/>
      <g stroke="black" stroke-width="2">
        <line x1="16" y1="10" x2="9" y2="22"/>
        <line x1="16" y1="10" x2="23" y2="22"/>
        <line x1="9" y1="22" x2="23" y2="22"/>
      </g>
      <circle cx="16" cy="10" r="3" fill="black"/>
      <circle cx="9" cy="22" r="3" fill="black"/>
      <circle cx="23" cy="22" r="3" fill="black"/>
      <rect x="10" y="27" width="12" height="2" fill="black"/>
    </mask>
  </defs>
  <path d="M5 0 H23 L29 6 V30 Q29 32 27 32 H5 Q3 32 3 30 V2 Q3 0 5 0 Z" fill="white" mask="url(#cut)"/>
</svg>`;

/**
 * @param {import('playwright-core').Browser} browser
 * @param {string} svg
 * @param {number} size
 */
async function render(browser, svg, size) {
  const page = await browser.newPage();
  try {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
    );
    return await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  } finally {
    await page.close();
  }
}

/**
 * Every pixel becomes white and opaque (alpha ≥ 128) or fully transparent black.
 * @param {PNG} png
 */
export function binariseOutline(png) {
  const out = new PNG({ width: png.width, height: png.height });
  for (let i = 0; i < png.data.length; i += 4) {
    const on = (png.data[i + 3] ?? 0) >= 128;
    out.data[i] = on ? 255 : 0;
    out.data[i + 1] = on ? 255 : 0;
    out.data[i + 2] = on ? 255 : 0;
    out.data[i + 3] = on ? 255 : 0;
  }
  return out;
}

/**
 * The colour icon is drawn on a solid square: make every pixel fully opaque.
 * @param {PNG} png
 */
function opaque(png) {
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return png;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const color = opaque(PNG.sync.read(await render(browser, COLOR_SVG, 192)));
    const outline = binariseOutline(PNG.sync.read(await render(browser, OUTLINE_SVG, 32)));
    await writeFile(path.join(ICONS_DIR, 'color.png'), PNG.sync.write(color, { colorType: 2 }));
    await writeFile(path.join(ICONS_DIR, 'outline.png'), PNG.sync.write(outline, { colorType: 6 }));
    console.log(`wrote ${path.relative(process.cwd(), ICONS_DIR)}/color.png and outline.png`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
