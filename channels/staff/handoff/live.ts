/**
 * `GET /staff/events`: server-sent events for the console. Agents hear queue changes and
 * presence changes, and the messages of conversations they hold (admins: all) — never the text of
 * another agent's conversation. While the stream is open the agent counts as present (and the
 * open console counts as use of the session): the server renews the presence on a timer, so
 * presence lapses by itself when the console closes or the network drops. On every renewal, and
 * at once when the user logs out or is locked, the stream checks its session and ends when it is
 * over — a locked agent hears nothing more.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  switch (notice.type) {
    case 'presence-changed':
      return { event: notice.type, data: {} };
    case 'staff-signed-out':
      return undefined;
    case 'handoff-updated': {
      const h = notice.handoff;
      return {
        event: notice.type,
        data: { id: h.id, status: h.status, department: h.department, agent: h.agent ?? null },
      };
    }
    case 'handoff-message': {
      const handoff = await options.handoffs.get(notice.handoffId);
      if (!handoff || (handoff.agent !== staff.username && staff.role !== 'admin'))
        return undefined;
      return { event: notice.type, data: { handoffId: notice.handoffId, message: notice.message } };
    }
  }
}

/**
 * True while the stream's session lasts: it exists (no logout), is within its absolute end, and
 * the account is not locked. Marks the session as used.
 */
async function sessionLasts(staff: StaffPrincipal, options: StaffModuleOptions): Promise<boolean> {
  const { staffSessions, staffAccounts } = options.stores;
  const session = await staffSessions.get(staff.sessionIdHash);
  const now = new Date();
  if (!session || Date.parse(session.expiresAt) <= now.getTime()) return false;
  const account = await staffAccounts.get(staff.username);
  if (!account || account.disabledAt) return false;
  await staffSessions.touch(staff.sessionIdHash, now.toISOString());
  return true;
}

/** One open stream: writes events in publish order and renews presence until it ends. */
function openStream(req: FastifyRequest, reply: FastifyReply, options: StaffModuleOptions) {
  const staff = req.staff as StaffPrincipal;
  const raw = reply.raw;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    timers.forEach(clearInterval);
    unsubscribe();
    if (!raw.writableEnded) raw.end();
  };
  // Attached before any await, so a browser that leaves during setup leaks nothing.
  raw.on('close', end);
  const write = (chunk: string) => {
    if (!ended) raw.write(chunk);
  };
  const fail = (error: Error) => {
    req.log.warn({ err: error.message }, 'live event stream failed');
    end();
  };

  const renew = async () => {
    if (ended) return;
    if (!(await sessionLasts(staff, options))) return end();
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
      .then(async () => {
        if (notice.type === 'staff-signed-out' && notice.username === staff.username) {
          if (!(await sessionLasts(staff, options))) end();
          return;
        }
        const visible = await visibleTo(staff, notice, options);
        if (visible) write(`event: ${visible.event}\ndata: ${JSON.stringify(visible.data)}\n\n`);
      })
      .catch(fail);
  };

  return {
    end,
    async start(): Promise<void> {
      write('retry: 3000\n\n');
      unsubscribe = options.events.subscribe(announce);
      const presenceMs = Math.max(5_000, (options.config.staff.presenceSeconds * 1000) / 3);
      timers.push(setInterval(() => void renew().catch(fail), presenceMs));
      timers.push(setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS));
      timers.forEach((t) => t.unref());
      const wasOnline = await currentStatus(options, staff.username);
      await renew();
      if (ended) return;
      if (wasOnline === 'offline') await options.events.publish({ type: 'presence-changed' });
      write('event: ready\ndata: {}\n\n');
    },
  };
}

/** Registers the event stream. */
export async function liveEvents(app: FastifyInstance, options: StaffModuleOptions): Promise<void> {
  const open = new Set<{ end(): void }>();
  // Streams never end by themselves; end them so the server can close.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get('/staff/events', { config: { permission: 'handoff' } }, async (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream = openStream(req, reply, options);
    open.add(stream);
    reply.raw.on('close', () => open.delete(stream));
    try {
      await stream.start();
    } catch (error) {
      req.log.warn({ err: (error as Error).message }, 'live event stream failed');
      stream.end();
    }
  });
}
