/**
 * The console's refusals, each with a stable code: a page for a person's browser, a JSON error
 * (the server's `{ error: { code, message } }` shape) for scripts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.js';
import { renderPage } from '../layout.js';
import { AUTH_TEXTS } from './texts.js';
import { CONSOLE_HOME, wantsHtml } from './request.js';

export type DenyReason = 'unauthenticated' | 'forbidden' | 'csrf';

const DENIALS = {
  unauthenticated: { status: 401, code: 'LOTSE_STAFF_UNAUTHENTICATED' },
  forbidden: { status: 403, code: 'LOTSE_STAFF_FORBIDDEN' },
  csrf: { status: 403, code: 'LOTSE_STAFF_CSRF' },
} as const;

/** Sends the refusal for `reason` in the form the client asked for. */
export function deny(req: FastifyRequest, reply: FastifyReply, reason: DenyReason): FastifyReply {
  const { status, code } = DENIALS[reason];
  const t = AUTH_TEXTS.de;
  const message = t[reason];
  if (!wantsHtml(req)) return reply.code(status).send({ error: { code, message } });
  const link =
    reason === 'unauthenticated'
      ? html`<a href="/staff/login">${t.toLogin}</a>`
      : html`<a href="${CONSOLE_HOME}">${t.backToStart}</a>`;
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      renderPage({
        title: t[`${reason}Title`],
        ...(req.staff ? { staff: req.staff } : {}),
        main: html`<p class="error-message" data-code="${code}">${message}</p>
          <p>${link}</p>`,
      }),
    );
}
