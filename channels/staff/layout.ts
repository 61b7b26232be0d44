/**
 * The frame every console page shares: German, a skip link, a navigation that shows only what the
 * user's role may open (marking the current page with aria-current), the user and a logout form
 * carrying the CSRF token. Assets are served by the console itself (see assets.ts); the CSP allows
 * only this origin, so pages carry no inline script or style.
 */
import { can, type Permission, type StaffPrincipal } from './contract.js';
import { html, type SafeHtml } from './html.js';
import { STAFF_TEXTS } from './texts.js';

/** The console's pages in the navigation, with the permission each needs. */
export const NAVIGATION: readonly { key: string; href: string; permission: Permission }[] = [
  { key: 'assist', href: '/staff', permission: 'assist' },
  { key: 'handoffs', href: '/staff/handoffs', permission: 'handoff' },
  { key: 'apply', href: '/staff/apply', permission: 'apply' },
  { key: 'insights', href: '/staff/insights', permission: 'insights' },
  { key: 'accounts', href: '/staff/admin/accounts', permission: 'admin' },
];

export interface PageOptions {
  title: string;
  /** The logged-in user; absent on the login page. */
  staff?: StaffPrincipal;
  /** The navigation key of this page. */
  active?: string;
  main: SafeHtml;
  /** Extra scripts under /staff/assets/ (e.g. `handoffs.js`). */
  scripts?: readonly string[];
}

/** A complete HTML document. */
export function renderPage(options: PageOptions): string {
  const t = STAFF_TEXTS.de;
  const staff = options.staff;
  const nav = staff
    ? html`<nav aria-label="${t.navLabel}">
        <ul>
          ${NAVIGATION.filter((item) => can(staff.role, item.permission)).map(
            (item) =>
              html`<li>
                <a
                  href="${item.href}"
                  ${item.key === options.active ? html`aria-current="page"` : ''}
                  >${t.nav[item.key as keyof typeof t.nav]}</a
                >
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  const user = staff
    ? html`<form class="user" method="post" action="/staff/logout">
        <span>${t.signedInAs} <strong>${staff.displayName}</strong> (${t.roles[staff.role]})</span>
        <input type="hidden" name="_csrf" value="${staff.csrfToken}" />
        <button type="submit">${t.logout}</button>
      </form>`
    : '';
  const scripts = ['console.js', ...(options.scripts ?? [])];
  return html`<!doctype html>
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${staff ? html`<meta name="csrf-token" content="${staff.csrfToken}" />` : ''}
        <title>${options.title} – ${t.product}</title>
        <link rel="stylesheet" href="/staff/assets/console.css" />
        ${scripts.map((s) => html`<script src="/staff/assets/${s}" defer></script>`)}
      </head>
      <body>
        <a class="skip-link" href="#main">${t.skipToContent}</a>
        <header>
          <p class="brand">${t.product}</p>
          ${nav} ${user}
        </header>
        <main id="main" tabindex="-1">
          <h1>${options.title}</h1>
          ${options.main}
        </main>
      </body>
    </html>`.value;
}
