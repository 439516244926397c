// Draws the Outlook add-in's ribbon icons (manifest `extensions[0].ribbons[*]…icons`) with Chromium and
// writes them to tab/public/addin/icon-<size>.png, which the tab serves at https://<TAB_DOMAIN>/addin/.
// Office wants 16, 32 and 80 px at least (the unified manifest's extensionCommonIcon); the other sizes it
// accepts (20, 24, 40, 48, 64) keep the button sharp at other display scales. Transparent background: the
// symbol of the Teams icons (a one-page plan whose three linked nodes are the vendor, the partner and the
// buyer) as a teal page, so it reads on the light and the dark ribbon.
// Run: node manifest/scripts/make-addin-icons.mjs
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADDIN_ICON_DIR = path.join(ROOT, 'tab', 'public', 'addin');
export const ADDIN_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const SYMBOL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <path d="M7 1 H21 L27 7 V29 Q27 31 25 31 H7 Q5 31 5 29 V3 Q5 1 7 1 Z" fill="#0B6E75"/>
  <path d="M21 1 V5 Q21 7 23 7 H27 Z" fill="#7FBFC4"/>
  <g stroke="#FFFFFF" stroke-width="1.6" stroke-linecap="round">
    <line x1="16" y1="10" x2="10.5" y2="20"/>
    <line x1="16" y1="10" x2="21.5" y2="20"/>
    <line x1="10.5" y1="20" x2="21.5" y2="20"/>
  </g>
  <circle cx="16" cy="10" r="3" fill="#FFFFFF"/>
  <circle cx="10.5" cy="20" r="3" fill="#F0A530"/>
  <circle cx="21.5" cy="20" r="3" fill="#E0594B"/>
  <rect x="10" y="25" width="12" height="2" rx="1" fill="#FFFFFF"/>
</svg>`;

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    await mkdir(ADDIN_ICON_DIR, { recursive: true });
    for (const size of ADDIN_ICON_SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      const svg = SYMBOL_SVG.replace('<svg ', `<svg width="${size}" height="${size}" `);
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
      );
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      });
      await writeFile(path.join(ADDIN_ICON_DIR, `icon-${size}.png`), png);
      await page.close();
    }
    console.log(
      `wrote ${ADDIN_ICON_SIZES.map((s) => `icon-${s}.png`).join(', ')} to ${path.relative(process.cwd(), ADDIN_ICON_DIR)}`,
    );
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
