/*
 * Debian's Chromium for the browser tests (playwright cannot download its own browser here). Without the
 * background-networking flags Chromium keeps trying to reach Google's hosts, which this network refuses.
 */
export const CHROMIUM = process.env.COSELL_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
