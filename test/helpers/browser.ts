/**
 * Debian's Chromium for the browser suites (installed by .ci/run; playwright-core's own download does
 * not work here), and one browser per suite that is launched again when it was closed under the suite
 * (seen on a loaded machine, the cause not found: Chromium closed right after its launch). With
 * jest.retryTimes(1) in the suite, a test that met a closed browser runs once more on a new one.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

export function suiteBrowser(): { live(): Promise<Browser>; close(): Promise<void> } {
  let browser: Browser | undefined;
  const launch = () =>
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // A signal meant for another suite's child (the npm start and SIGHUP tests) must not close this browser.
      handleSIGHUP: false,
      handleSIGINT: false,
      handleSIGTERM: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  return {
    async live() {
      if (!browser?.isConnected()) browser = await launch();
      return browser;
    },
    async close() {
      await browser?.close();
    },
  };
}
