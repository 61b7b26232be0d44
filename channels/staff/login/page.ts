/**
 * The login form: labelled fields with autocomplete hints for password managers, and an error
 * summary that screen readers announce (role=alert) and that names the fields it concerns.
 */
import { html } from '../html.js';
import { renderPage } from '../layout.js';
import { LOGIN_TEXTS } from './texts.js';

export interface LoginPageOptions {
  /** Where to go after login (already checked with `safeNext`). */
  next: string;
  /** The user name to prefill after a failed attempt. */
  username?: string;
  error?: string;
  /** A notice such as "Sie wurden abgemeldet." */
  notice?: string;
}

/** The whole login page. */
export function renderLoginPage(options: LoginPageOptions): string {
  const t = LOGIN_TEXTS.de;
  const invalid = options.error ? html`aria-invalid="true" aria-describedby="login-error"` : '';
  return renderPage({
    title: t.title,
    main: html`${
        options.error
          ? html`<div class="error-summary" role="alert" id="login-error">
              <h2>${t.errorHeading}</h2>
              <p>${options.error}</p>
            </div>`
          : ''
      }
      ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
      <p>${t.intro}</p>
      <form class="card login" method="post" action="/staff/login">
        <input type="hidden" name="next" value="${options.next}" />
        <div class="field">
          <label for="username">${t.username}</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck="false"
            required
            maxlength="64"
            value="${options.username ?? ''}"
            ${invalid}
          />
        </div>
        <div class="field">
          <label for="password">${t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength="1024"
            ${invalid}
          />
        </div>
        <button type="submit" class="primary">${t.submit}</button>
      </form>`,
  });
}
