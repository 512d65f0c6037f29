/**
 * The browser part: headless Chromium (Debian's package, driven by puppeteer-core, which downloads no
 * browser of its own) opens each page, waits for its mermaid blocks, takes full-height screenshots and
 * measures the page (page-checks.js).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { PAGE_WIDTH } from './render-html.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHECKS_SCRIPT = path.join(here, 'page-checks.js');

/** Where Chromium is looked for: $CHROMIUM_PATH if set, else Debian's package. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** The one line to print when chromiumPath() does not exist. */
export function installHint(where: string): string {
  return `Chromium not found at ${where}: install it as root with "apt-get install -y chromium fonts-noto-core fonts-noto-color-emoji", or set CHROMIUM_PATH to a Chromium/Chrome binary.`;
}

export function launch(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    // --no-sandbox: Chromium refuses to start its sandbox as root, which is how this machine runs.
    args: ['--no-sandbox', '--hide-scrollbars', '--font-render-hinting=none'],
  });
}

export interface MermaidBlock {
  /** The diagram type, the first word of the block (gantt, xychart-beta, flowchart, …). */
  kind: string;
  rendered: boolean;
  error: string;
  /** Drawn width / the diagram's own width: below 1 the diagram was shrunk to fit the pane. */
  scale: number;
}

export interface PageChecks {
  viewportWidth: number;
  scrollWidth: number;
  contentWidth: number;
  /** Each element that is wider than the summary or scrolls sideways, described for a person. */
  wide: string[];
  mermaid: MermaidBlock[];
  height: number;
}

export interface Shot {
  checks: PageChecks;
  /** The screenshot with every <details> opened, when the page has any closed ones. */
  expandedPng?: string;
  /** Errors thrown by scripts in the page (a broken page, not a finding about the summary). */
  pageErrors: string[];
}

/**
 * Screenshots the page as a reader first sees it (closed <details> stay closed) and, if it has closed
 * ones, again with all of them open. The checks are made on the opened page, so nothing hides in a fold.
 */
export async function screenshot(browser: Browser, htmlPath: string, pngPath: string): Promise<Shot> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error instanceof Error ? error.message : String(error)));
  try {
    await page.setViewport({ width: PAGE_WIDTH, height: 800, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForFunction('window.mermaidDone === true', { timeout: 60_000 });
    await page.addScriptTag({ path: CHECKS_SCRIPT });
    await page.screenshot({ path: pngPath as `${string}.png`, fullPage: true });

    const closed = (await page.evaluate('window.openAllDetails()')) as number;
    let expandedPng: string | undefined;
    if (closed > 0) {
      expandedPng = pngPath.replace(/\.png$/, '.expanded.png');
      await page.screenshot({ path: expandedPng as `${string}.png`, fullPage: true });
    }
    const checks = (await page.evaluate('window.screenshotChecks()')) as PageChecks;
    return { checks, expandedPng, pageErrors };
  } finally {
    await page.close();
  }
}
