/**
 * The handoff pages: the queue with the agent's presence, and one conversation with its
 * transcript, the service in context and the reply box. Server-rendered; handoffs.js adds live
 * updates and sends replies without a reload.
 */
import type { Service } from '../../../knowledge/schema.js';
import type { HandoffMessage } from '../../../bot/handoff/events.js';
import type { HandoffRequest, StaffPresence } from '../../../storage/types.js';
import type { StaffPrincipal } from '../contract.js';
import { httpUrl } from '../../../knowledge/html.js';
import { html, type SafeHtml } from '../html.js';
import { HANDOFF_PAGE_TEXTS as T } from './texts.js';

/** Formats an ISO time for staff in Germany ("28.11.2026, 14:05"). */
export function localTime(iso: string): string {
  return new Date(iso).toLocaleString('de-DE', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'short',
    timeStyle: 'short',
  });
}

function csrfField(staff: StaffPrincipal): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${staff.csrfToken}" />`;
}

function topic(h: HandoffRequest, serviceName: (id: string) => string | undefined): string {
  return (h.serviceId && serviceName(h.serviceId)) || T.noTopic;
}

export interface QueueView {
  staff: StaffPrincipal;
  queue: (HandoffRequest & { position?: number })[];
  closed: HandoffRequest[];
  online: StaffPresence[];
  myStatus: StaffPresence['status'] | 'offline';
  serviceName(id: string): string | undefined;
  /** Departments with open requests, for the filter. */
  departments: string[];
  /** The department the agent filters by; all when unset. */
  department?: string;
  notice?: string;
}

/** The department filter (a plain GET form). */
function departmentFilter(view: QueueView): SafeHtml {
  return html`<form method="get" action="/staff/handoffs" class="filter">
    <label for="department">${T.departmentFilter}</label>
    <select id="department" name="department">
      <option value="">${T.allDepartments}</option>
      ${view.departments.map(
        (d) =>
          html`<option value="${d}" ${d === view.department ? html`selected` : ''}>${d}</option>`,
      )}
    </select>
    <button type="submit">${T.applyFilter}</button>
  </form>`;
}

/** The queue section alone (handoffs.js swaps it in on live updates). */
export function queueSection(view: QueueView): SafeHtml {
  const { staff } = view;
  const pending = view.queue.filter((h) => h.status === 'pending');
  const mine = view.queue.filter((h) => h.status === 'assigned' && h.agent === staff.username);
  const others = view.queue.filter((h) => h.status === 'assigned' && h.agent !== staff.username);
  const c = T.columns;
  return html`<div id="queue" data-pending="${pending.length}">
    <p id="agents-online">
      ${T.agentsOnline(view.online.filter((p) => p.status === 'available').length)}
    </p>
    <section aria-labelledby="pending-heading">
      <h2 id="pending-heading">${T.pendingHeading} (${pending.length})</h2>
      ${
        pending.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${c.position}</th>
                  <th scope="col">${c.department}</th>
                  <th scope="col">${c.topic}</th>
                  <th scope="col">${c.reason}</th>
                  <th scope="col">${c.waiting}</th>
                  <th scope="col">${c.channel}</th>
                  <th scope="col">${c.contact}</th>
                  <th scope="col">${c.action}</th>
                </tr>
              </thead>
              <tbody>
                ${pending.map(
                  (h) =>
                    html`<tr>
                      <td>${h.position ?? ''}</td>
                      <td>${h.department}</td>
                      <td>${topic(h, view.serviceName)}</td>
                      <td>${T.reasons[h.reason]}</td>
                      <td><time datetime="${h.createdAt}">${localTime(h.createdAt)}</time></td>
                      <td>${h.channel}</td>
                      <td>${h.contact ?? '–'}</td>
                      <td>
                        <form method="post" action="/staff/handoffs/${h.id}/assign">
                          ${csrfField(staff)}
                          <button
                            type="submit"
                            aria-label="${T.take}: ${topic(h, view.serviceName)}, ${c.position} ${h.position ?? ''}"
                          >
                            ${T.take}
                          </button>
                        </form>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p>${T.pendingEmpty}</p>`
      }
    </section>
    <section aria-labelledby="mine-heading">
      <h2 id="mine-heading">${T.mineHeading}</h2>
      ${
        mine.length
          ? html`<ul class="conversations">
              ${mine.map(
                (h) =>
                  html`<li>
                    <a href="/staff/handoffs/${h.id}"
                      >${topic(h, view.serviceName)} (${h.department}, ${h.channel})</a
                    >
                  </li>`,
              )}
            </ul>`
          : html`<p>${T.mineEmpty}</p>`
      }
    </section>
    ${
      others.length
        ? html`<section aria-labelledby="others-heading">
            <h2 id="others-heading">${T.othersHeading}</h2>
            <ul class="conversations">
              ${others.map(
                (h) =>
                  html`<li>
                    ${
                      staff.role === 'admin'
                        ? html`<a href="/staff/handoffs/${h.id}">${topic(h, view.serviceName)}</a>`
                        : topic(h, view.serviceName)
                    }
                    – ${T.columns.agent}: ${h.agent ?? ''}
                  </li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    <section aria-labelledby="closed-heading">
      <h2 id="closed-heading">${T.closedHeading}</h2>
      ${
        view.closed.length
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${c.topic}</th>
                  <th scope="col">${c.status}</th>
                  <th scope="col">${c.agent}</th>
                  <th scope="col">${c.contact}</th>
                </tr>
              </thead>
              <tbody>
                ${view.closed.map(
                  (h) =>
                    html`<tr>
                      <td>${topic(h, view.serviceName)}</td>
                      <td>
                        ${T.statuses[h.status]} (<time datetime="${h.updatedAt}"
                          >${localTime(h.updatedAt)}</time
                        >)
                      </td>
                      <td>${h.agent ?? '–'}</td>
                      <td>${h.contact ?? '–'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p>–</p>`
      }
    </section>
  </div>`;
}

/** The queue page's main content. */
export function queuePage(view: QueueView): SafeHtml {
  const status = view.myStatus;
  const next = status === 'available' ? 'away' : 'available';
  return html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
    <section aria-labelledby="presence-heading" class="presence">
      <h2 id="presence-heading">${T.presenceHeading}</h2>
      <p id="presence-status">${T.presenceNow(T.presence[status])}</p>
      <form method="post" action="/staff/handoffs/presence">
        ${csrfField(view.staff)}
        <input type="hidden" name="status" value="${next}" />
        <button type="submit">${next === 'available' ? T.setAvailable : T.setAway}</button>
      </form>
    </section>
    ${departmentFilter(view)} ${queueSection(view)} ${scriptTexts()}`;
}

export interface ConversationView {
  staff: StaffPrincipal;
  handoff: HandoffRequest;
  service?: Service;
  messages: HandoffMessage[];
  /** False while the agent does not hold the conversation: its history stays private. */
  mayRead: boolean;
  notice?: string;
  error?: string;
}

/** Texts handoffs.js needs, handed over as data (no texts in scripts). */
function scriptTexts(): SafeHtml {
  const texts = JSON.stringify({
    newRequest: T.newRequest,
    newMessage: T.newMessage,
    sent: T.sent,
    from: T.from,
  });
  return html`<div id="handoff-texts" hidden data-texts="${texts}"></div>`;
}

/** One message of the transcript as a list item (also built by handoffs.js for live ones). */
function messageItem(m: HandoffMessage): SafeHtml {
  return html`<li class="message from-${m.from}">
    <span class="sender">${T.from[m.from]}</span>
    <time datetime="${m.timestamp}">${localTime(m.timestamp)}</time>
    <p>${m.text}</p>
  </li>`;
}

/** The conversation page's main content. */
export function conversationPage(view: ConversationView): SafeHtml {
  const { handoff: h, staff, service } = view;
  const holds = h.status === 'assigned' && (h.agent === staff.username || staff.role === 'admin');
  const open = h.status === 'pending' || h.status === 'assigned';
  return html`${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
    ${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
    <p><a href="/staff/handoffs">${T.back}</a></p>
    <section aria-labelledby="context-heading" class="card">
      <h2 id="context-heading">${T.contextHeading}</h2>
      <dl>
        <dt>${T.columns.topic}</dt>
        <dd>
          ${
            service
              ? httpUrl(service.source.url)
                ? html`<a
                    href="${httpUrl(service.source.url)}"
                    rel="noopener noreferrer"
                    target="_blank"
                    >${service.name}</a
                  >`
                : service.name
              : T.noTopic
          }
        </dd>
        <dt>${T.authority}</dt>
        <dd>${service?.authority?.name ?? h.department}</dd>
        <dt>${T.columns.reason}</dt>
        <dd>${T.reasons[h.reason]}</dd>
        <dt>${T.columns.channel}</dt>
        <dd>${h.channel}</dd>
        <dt>${T.columns.status}</dt>
        <dd id="handoff-status">${T.statuses[h.status]}${h.agent ? ` – ${h.agent}` : ''}</dd>
        ${
          h.contact
            ? html`<dt>${T.columns.contact}</dt>
                <dd>${h.contact}</dd>`
            : ''
        }
      </dl>
    </section>
    <section aria-labelledby="transcript-heading">
      <h2 id="transcript-heading">${T.transcriptHeading}</h2>
      <ol id="transcript" class="transcript" data-handoff="${h.id}">
        ${view.messages.length ? view.messages.map(messageItem) : ''}
      </ol>
      ${
        view.messages.length
          ? ''
          : html`<p id="transcript-empty">
              ${view.mayRead ? T.transcriptEmpty : T.transcriptAfterTaking}
            </p>`
      }
    </section>
    ${
      holds
        ? html`<form
              id="reply"
              method="post"
              action="/staff/handoffs/${h.id}/messages"
              class="reply"
            >
              ${csrfField(staff)}
              <label for="reply-text">${T.replyLabel}</label>
              <textarea id="reply-text" name="text" rows="3" maxlength="2000" required></textarea>
              <button type="submit">${T.send}</button>
            </form>
            <form method="post" action="/staff/handoffs/${h.id}/resolve">
              ${csrfField(staff)}
              <button type="submit">${T.resolve}</button>
            </form>`
        : open && h.status === 'pending'
          ? html`<form method="post" action="/staff/handoffs/${h.id}/assign">
              ${csrfField(staff)}
              <button type="submit">${T.take}</button>
            </form>`
          : html`<p>${open ? T.heldBy(h.agent ?? '') : T.closedNote(T.statuses[h.status])}</p>`
    }
    ${
      open && (h.status === 'pending' || holds)
        ? html`<form method="post" action="/staff/handoffs/${h.id}/reject" class="reject">
            ${csrfField(staff)}
            <label for="reject-reason">${T.rejectLabel}</label>
            <input id="reject-reason" name="reason" maxlength="200" />
            <button type="submit">${T.reject}</button>
          </form>`
        : ''
    }
    ${scriptTexts()}`;
}
