/**
 * The console's handoff module: the queue with presence, taking a conversation, replying to the
 * citizen, resolving or rejecting, and the live event stream. Forms work without scripts (POST,
 * then 303 back to the page); the same routes answer JSON for handoffs.js.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  HandoffError,
  MAX_CLOSE_REASON,
  type HandoffActor,
} from '../../../bot/handoff/handoff-service.js';
import type { StaffModuleOptions, StaffPrincipal } from '../contract.js';
import { html, type SafeHtml } from '../html.js';
import { sentJson } from '../auth/request.js';
import { renderPage } from '../layout.js';
import { liveEvents } from './live.js';
import { currentStatus } from './presence.js';
import { HANDOFF_PAGE_TEXTS as T } from './texts.js';
import { conversationPage, queuePage, queueSection, type QueueView } from './views.js';

const IdParams = z.object({ id: z.string().uuid() });
const MessageBody = z.object({ text: z.string().trim().min(1).max(2000) });
const RejectBody = z.object({ reason: z.string().trim().max(MAX_CLOSE_REASON).default('') });
const PresenceBody = z.object({ status: z.enum(['available', 'away']) });

/** Outcome notices a redirect may name (never free text from the query). */
const NOTICES = { sent: T.sent, resolved: T.resolved, rejected: T.rejected, assigned: T.assigned };
const DepartmentQuery = z.object({ department: z.string().trim().max(200).optional() });
const NoticeQuery = z.object({
  notice: z.enum(['sent', 'resolved', 'rejected', 'assigned']).optional(),
  error: z.string().max(80).optional(),
});

const ERROR_STATUS: Record<HandoffError['code'], number> = {
  LOTSE_HANDOFF_NOT_FOUND: 404,
  LOTSE_HANDOFF_CONFLICT: 409,
  LOTSE_HANDOFF_FORBIDDEN: 403,
  LOTSE_HANDOFF_UNDELIVERABLE: 502,
  LOTSE_HANDOFF_INVALID: 400,
};

function actor(staff: StaffPrincipal): HandoffActor {
  return { username: staff.username, role: staff.role, displayName: staff.displayName };
}

/** Answers an action: JSON for scripts, a redirect for forms. */
async function respond(
  req: FastifyRequest,
  reply: FastifyReply,
  target: string | { success: string; failure: string },
  action: () => Promise<unknown>,
  notice: keyof typeof NOTICES,
) {
  const { success, failure } =
    typeof target === 'string' ? { success: target, failure: target } : target;
  try {
    const result = await action();
    if (sentJson(req)) return reply.send({ ok: true, ...(result ? { handoff: result } : {}) });
    return reply.redirect(`${success}?notice=${notice}`, 303);
  } catch (error) {
    if (!(error instanceof HandoffError)) throw error;
    if (sentJson(req)) {
      return reply
        .code(ERROR_STATUS[error.code])
        .send({ error: { code: error.code, message: error.message } });
    }
    return reply.redirect(`${failure}?error=${error.code}`, 303);
  }
}

function badRequest(req: FastifyRequest, reply: FastifyReply, target: string) {
  if (sentJson(req)) {
    return reply
      .code(400)
      .send({ error: { code: 'LOTSE_BAD_REQUEST', message: T.errors.LOTSE_BAD_REQUEST } });
  }
  return reply.redirect(`${target}?error=LOTSE_BAD_REQUEST`, 303);
}

/** Registers the handoff pages, actions and the event stream. */
export async function handoffRoutes(
  app: FastifyInstance,
  options: StaffModuleOptions,
): Promise<void> {
  const { handoffs, knowledge } = options;
  const serviceName = (id: string) => knowledge.search.get(id)?.name;
  const permission = { config: { permission: 'handoff' as const } };

  const queueView = async (staff: StaffPrincipal, query: unknown): Promise<QueueView> => {
    const parsed = DepartmentQuery.safeParse(query);
    const department = (parsed.success && parsed.data.department) || undefined;
    const queue = await handoffs.queue();
    return {
      staff,
      queue: department ? queue.filter((h) => h.department === department) : queue,
      closed: await handoffs.recentlyClosed(),
      online: await handoffs.agentsOnline(department),
      myStatus: await currentStatus(options, staff.username),
      serviceName,
      departments: [...new Set(queue.map((h) => h.department))].sort(),
      ...(department ? { department } : {}),
    };
  };

  app.get('/staff/handoffs', permission, async (req, reply) => {
    const staff = req.staff as StaffPrincipal;
    const query = NoticeQuery.safeParse(req.query);
    const notice = query.success && query.data.notice ? NOTICES[query.data.notice] : undefined;
    const view = await queueView(staff, req.query);
    return reply.type('text/html; charset=utf-8').send(
      renderPage({
        title: T.queueTitle,
        staff,
        active: 'handoffs',
        main: queuePage({ ...view, ...(notice ? { notice } : {}) }),
        scripts: ['handoffs.js'],
      }),
    );
  });

  /** The queue section alone, for live refreshes. */
  app.get('/staff/handoffs/queue', permission, async (req, reply) => {
    const view = await queueView(req.staff as StaffPrincipal, req.query);
    return reply.type('text/html; charset=utf-8').send(queueSection(view).value);
  });

  app.get('/staff/handoffs/:id', permission, async (req, reply) => {
    const staff = req.staff as StaffPrincipal;
    const params = IdParams.safeParse(req.params);
    const handoff = params.success ? await handoffs.get(params.data.id) : undefined;
    if (!handoff) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          renderPage({
            title: T.conversationTitle,
            staff,
            active: 'handoffs',
            main: conversationNotFound(),
          }),
        );
    }
    // The transcript is the citizen's: only the holding agent (or an admin) reads it.
    const mayRead = handoff.agent === staff.username || staff.role === 'admin';
    const query = NoticeQuery.safeParse(req.query);
    const notice = query.success && query.data.notice ? NOTICES[query.data.notice] : undefined;
    const code = query.success ? query.data.error : undefined;
    const error =
      code && Object.hasOwn(T.errors, code) ? T.errors[code as keyof typeof T.errors] : undefined;
    const service = handoff.serviceId ? knowledge.search.get(handoff.serviceId) : undefined;
    return reply.type('text/html; charset=utf-8').send(
      renderPage({
        title: `${T.conversationTitle}: ${service?.name ?? T.noTopic}`,
        staff,
        active: 'handoffs',
        main: conversationPage({
          staff,
          handoff,
          ...(service ? { service } : {}),
          messages: mayRead ? await handoffs.transcript(handoff) : [],
          mayRead,
          ...(notice ? { notice } : {}),
          ...(error ? { error } : {}),
        }),
        scripts: ['handoffs.js'],
      }),
    );
  });

  app.post('/staff/handoffs/:id/assign', permission, async (req, reply) => {
    const params = IdParams.safeParse(req.params);
    if (!params.success) return badRequest(req, reply, '/staff/handoffs');
    const target = `/staff/handoffs/${params.data.id}`;
    const staff = req.staff as StaffPrincipal;
    return respond(
      req,
      reply,
      target,
      () => handoffs.assign(params.data.id, actor(staff)),
      'assigned',
    );
  });

  app.post('/staff/handoffs/:id/messages', permission, async (req, reply) => {
    const params = IdParams.safeParse(req.params);
    const body = MessageBody.safeParse(req.body);
    const target = `/staff/handoffs/${params.success ? params.data.id : ''}`;
    if (!params.success || !body.success) return badRequest(req, reply, target);
    const staff = req.staff as StaffPrincipal;
    return respond(
      req,
      reply,
      target,
      () => handoffs.sendAgentMessage(params.data.id, actor(staff), body.data.text),
      'sent',
    );
  });

  app.post('/staff/handoffs/:id/resolve', permission, async (req, reply) => {
    const params = IdParams.safeParse(req.params);
    if (!params.success) return badRequest(req, reply, '/staff/handoffs');
    const staff = req.staff as StaffPrincipal;
    return respond(
      req,
      reply,
      '/staff/handoffs',
      () => handoffs.resolve(params.data.id, actor(staff)),
      'resolved',
    );
  });

  app.post('/staff/handoffs/:id/reject', permission, async (req, reply) => {
    const params = IdParams.safeParse(req.params);
    const body = RejectBody.safeParse(req.body ?? {});
    if (!params.success || !body.success) return badRequest(req, reply, '/staff/handoffs');
    const staff = req.staff as StaffPrincipal;
    return respond(
      req,
      reply,
      '/staff/handoffs',
      () => handoffs.reject(params.data.id, actor(staff), body.data.reason),
      'rejected',
    );
  });

  app.post('/staff/handoffs/presence', permission, async (req, reply) => {
    const body = PresenceBody.safeParse(req.body);
    if (!body.success) return badRequest(req, reply, '/staff/handoffs');
    const staff = req.staff as StaffPrincipal;
    await handoffs.heartbeat({
      username: staff.username,
      status: body.data.status,
      departments: [],
    });
    await options.events.publish({ type: 'presence-changed' });
    if (sentJson(req)) return reply.send({ ok: true, status: body.data.status });
    return reply.redirect('/staff/handoffs', 303);
  });

  await liveEvents(app, options);
}

/** A plain notice with the way back. */
function conversationNotFound(): SafeHtml {
  return html`<p role="alert">${T.errors.LOTSE_HANDOFF_NOT_FOUND}</p>
    <p><a href="/staff/handoffs">${T.back}</a></p>`;
}
