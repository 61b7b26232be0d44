/**
 * Checks every browser test makes of a page besides its own content, in one place so that all
 * files scan and watch the same way: an axe-core scan against WCAG 2.1 A/AA, and a watcher of
 * the problems no assertion about content would show (uncaught script errors, resources blocked
 * by the Content-Security-Policy).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The WCAG 2.1 A and AA rules (with the WCAG 2.0 ones they include). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/**
 * Scans the page as it is now. `violations` are `rule id: target, target` strings (empty when
 * none); `results` is axe-core's full answer, for tests that also look at the passes.
 */
export async function axeScan(page: Page): Promise<{ violations: string[]; results: AxeResults }> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const violations = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  return { violations, results };
}

/** The page's WCAG 2.1 A/AA violations as `rule id: target, target` strings; `[]` when none. */
export async function axeViolations(page: Page): Promise<string[]> {
  return (await axeScan(page)).violations;
}

/** What went wrong in a page that no assertion about its content would show. */
export interface Problems {
  /** Uncaught exceptions in the page (and, with `consoleErrors`, console errors). */
  errors: string[];
  /** Content-Security-Policy violations (a blocked script, style, image or connection). */
  csp: string[];
}

/** The browser globals the init script uses (the project compiles without the DOM library). */
interface PageGlobals {
  document: {
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  reportCspViolation(text: string): void;
}

/**
 * Starts recording the page's problems; the returned object fills as they happen. Call it before
 * `page.goto`: errors are recorded at once, CSP violations from the next document loaded on.
 * `consoleErrors` also records every `console.error` (Chromium reports a CSP violation there too,
 * so this catches those in a document already loaded).
 */
export async function watchProblems(
  page: Page,
  options: { consoleErrors?: boolean } = {},
): Promise<Problems> {
  const problems: Problems = { errors: [], csp: [] };
  page.on('pageerror', (error) => problems.errors.push(error.message));
  if (options.consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.errors.push(message.text());
    });
  }
  await page.exposeFunction('reportCspViolation', (text: string) => problems.csp.push(text));
  await page.addInitScript(() => {
    const win = globalThis as unknown as PageGlobals;
    win.document.addEventListener('securitypolicyviolation', (event) =>
      win.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`),
    );
  });
  return problems;
}
