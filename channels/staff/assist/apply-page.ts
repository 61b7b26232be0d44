/**
 * "Antrag aufnehmen": staff fill in one of Lotse's flows on a caller's behalf, through the same
 * dialog a citizen has in web chat (Microsoft Web Chat on Lotse's own Direct Line), so the
 * application is validated and submitted exactly as a citizen's would be. The page says plainly
 * that the application is entered for a caller and marked as entered by staff.
 */
import type { FlowDefinition } from '../../../flows/engine/definition.js';
import type { FlowRegistry } from '../../../flows/registry.js';
import type { KnowledgeBase } from '../../../knowledge/knowledge-base.js';
import type { StaffPrincipal } from '../contract.js';
import { html } from '../html.js';
import { renderPage } from '../layout.js';
import { ASSIST_TEXTS } from './texts.js';
import { webChatCsp } from '../../webchat/page.js';

const t = ASSIST_TEXTS.de;

/** Web Chat's policy (inline styles, blob: images, the Direct Line WebSocket), never framed. */
export const APPLY_CSP = webChatCsp("'none'");

/** GET /staff/apply: the flows to choose from (`unknown` when a given flow id did not exist). */
export function renderFlowList(
  staff: StaffPrincipal | undefined,
  registry: FlowRegistry,
  knowledge: KnowledgeBase,
  unknown: boolean,
): string {
  return renderPage({
    title: t.applyTitle,
    ...(staff ? { staff } : {}),
    active: 'apply',
    main: html`<p>${t.applyIntro}</p>
      ${unknown ? html`<p class="error" role="alert">${t.applyUnknownFlow}</p>` : ''}
      <h2>${t.applyChoose}</h2>
      <ul class="flow-list">
        ${registry.flows.map((flow) => {
          const service = knowledge.search.get(flow.serviceId);
          return html`<li>
            <a href="/staff/apply?flow=${encodeURIComponent(flow.id)}"
              >${t.applyStart(flow.title.de)}</a
            >
            ${
              service
                ? html`<span class="flow-service">(${t.applyFlowService}: ${service.name})</span>`
                : ''
            }
          </li>`;
        })}
      </ul>`,
  });
}

/**
 * GET /staff/apply?flow=ID: the dialog for one flow. apply.js reads the flow and its texts from
 * the data attributes, gets a token from POST /staff/api/apply/token, connects Web Chat and sends
 * the message that opens the flow.
 */
export function renderFlowPage(staff: StaffPrincipal | undefined, flow: FlowDefinition): string {
  const title = flow.title.de;
  return renderPage({
    title: t.applyForTitle(title),
    ...(staff ? { staff } : {}),
    active: 'apply',
    scripts: ['apply.js'],
    main: html`<p class="notice notice-staff">${t.applyNotice(staff?.username ?? '')}</p>
      <p>${t.applyProfileNotice}</p>
      <p class="apply-actions">
        <a href="/staff/apply">${t.applyOtherFlow}</a>
        <a href="/staff/apply?flow=${encodeURIComponent(flow.id)}&amp;neu=1" id="apply-restart"
          >${t.applyRestart}</a
        >
      </p>
      <section
        id="apply"
        class="apply-chat"
        aria-labelledby="apply-chat-heading"
        data-flow-id="${flow.id}"
        data-start-message="${t.applyStartMessage(title)}"
        data-text-connecting="${t.applyConnecting}"
        data-text-started="${t.applyStarted(title)}"
        data-text-failed="${t.applyFailed}"
        data-text-placeholder="${t.applyPlaceholder}"
      >
        <h2 id="apply-chat-heading">${t.applyChatHeading}</h2>
        <noscript><p>${t.applyNoScript}</p></noscript>
        <div id="webchat" class="webchat"></div>
        <p id="apply-status" class="status" role="status" aria-live="polite"></p>
      </section>`,
  });
}
