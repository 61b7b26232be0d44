/**
 * `GET /staff/events`: server-sent events for the console. Agents hear queue changes and
 * presence changes, and the messages of conversations they hold (admins: all) — never the text of
 * another agent's conversation. While the stream is open the agent counts as present: the server
 * renews the presence on a timer, so presence lapses by itself when the console closes or the
 * network drops.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HandoffNotice } from '../../../bot/handoff/events.js';
import type { StaffModuleOptions, StaffPrincipal } from '../contract.js';
import { currentStatus } from './presence.js';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/** What a notice says to one agent, or undefined when it is not theirs to hear. */
async function visibleTo(
  staff: StaffPrincipal,
  notice: HandoffNotice,
  options: StaffModuleOptions,
): Promise<{ event: string; data: unknown } | undefined> {
  if (notice.type === 'presence-changed') return { event: notice.type, data: {} };
  if (notice.type === 'handoff-updated') {
    const h = notice.handoff;
    return {
      event: notice.type,
      data: { id: h.id, status: h.status, department: h.department, agent: h.agent ?? null },
    };
  }
  const handoff = await options.handoffs.get(notice.handoffId);
  if (!handoff || (handoff.agent !== staff.username && staff.role !== 'admin')) return undefined;
  return { event: notice.type, data: { handoffId: notice.handoffId, message: notice.message } };
}

/** Registers the event stream. */
export async function liveEvents(app: FastifyInstance, options: StaffModuleOptions): Promise<void> {
  const open = new Set<FastifyReply>();
  // Streams never end by themselves; end them so the server can close.
  app.addHook('preClose', async () => {
    for (const reply of open) reply.raw.end();
  });

  app.get('/staff/events', { config: { permission: 'handoff' } }, async (req, reply) => {
    const staff = req.staff as StaffPrincipal;
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    open.add(reply);
    const write = (chunk: string) => {
      if (!reply.raw.writableEnded) reply.raw.write(chunk);
    };
    write('retry: 3000\n\n');
    const renewPresence = async () => {
      const status = await currentStatus(options, staff.username);
      await options.handoffs.heartbeat({
        username: staff.username,
        status: status === 'offline' ? 'available' : status,
        departments: [],
      });
    };
    // One chain per stream, so events arrive in the order they were published.
    let chain = Promise.resolve();
    const announce = (notice: HandoffNotice) => {
      chain = chain
        .then(() => visibleTo(staff, notice, options))
        .then((visible) => {
          if (visible) write(`event: ${visible.event}\ndata: ${JSON.stringify(visible.data)}\n\n`);
        })
        .catch((error: Error) => req.log.warn({ err: error.message }, 'live event failed'));
    };
    const unsubscribe = options.events.subscribe(announce);
    const presenceMs = Math.max(5_000, (options.config.staff.presenceSeconds * 1000) / 3);
    const presence = setInterval(() => void renewPresence().catch(() => undefined), presenceMs);
    const keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);
    presence.unref();
    keepalive.unref();
    const wasOnline = await currentStatus(options, staff.username);
    await renewPresence();
    if (wasOnline === 'offline') await options.events.publish({ type: 'presence-changed' });
    write('event: ready\ndata: {}\n\n');
    reply.raw.on('close', () => {
      clearInterval(presence);
      clearInterval(keepalive);
      unsubscribe();
      open.delete(reply);
    });
  });
}
