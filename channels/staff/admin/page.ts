/**
 * The accounts table: one row per account with a header cell for the user name, and a lock
 * button per active account whose accessible name says which account it locks.
 */
import type { StaffAccount } from '../../../storage/types.js';
import type { StaffPrincipal } from '../contract.js';
import { html } from '../html.js';
import { renderPage } from '../layout.js';
import { STAFF_TEXTS } from '../texts.js';
import { ADMIN_TEXTS } from './texts.js';

export function renderAccountsPage(options: {
  staff: StaffPrincipal;
  accounts: readonly StaffAccount[];
  /** The account just locked, for the status message. */
  disabled?: string;
}): string {
  const t = ADMIN_TEXTS.de;
  const { staff } = options;
  const rows = options.accounts.map(
    (account) =>
      html`<tr>
        <th scope="row">${account.username}</th>
        <td>${account.displayName ?? ''}</td>
        <td>${STAFF_TEXTS.de.roles[account.role]}</td>
        <td>
          <span class="badge ${account.disabledAt ? 'badge-muted' : 'badge-ok'}"
            >${account.disabledAt ? t.disabled : t.active}</span
          >
        </td>
        <td>
          ${
            account.disabledAt
              ? ''
              : account.username === staff.username
                ? t.self
                : html`<form
                    method="post"
                    action="/staff/admin/accounts/${encodeURIComponent(account.username)}/disable"
                  >
                    <input type="hidden" name="_csrf" value="${staff.csrfToken}" />
                    <button type="submit" class="danger">
                      ${t.disable}<span class="visually-hidden"> ${account.username}</span>
                    </button>
                  </form>`
          }
        </td>
      </tr>`,
  );
  return renderPage({
    title: t.title,
    staff,
    active: 'accounts',
    main: html`${
        options.disabled
          ? html`<p class="notice" role="status">${t.disabledNotice(options.disabled)}</p>`
          : ''
      }
      <p>${t.intro}</p>
      ${
        options.accounts.length === 0
          ? html`<p>${t.none}</p>`
          : html`<div class="table-wrap">
              <table>
                <caption>
                  ${t.caption}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.username}</th>
                    <th scope="col">${t.displayName}</th>
                    <th scope="col">${t.role}</th>
                    <th scope="col">${t.status}</th>
                    <th scope="col">${t.action}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`
      }`,
  });
}
