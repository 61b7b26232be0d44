/**
 * The insights module of the staff console: the page, its four CSV exports (editors and admins,
 * permission `insights`), and the retry of a dead submission (admins only). The console's auth
 * layer checks the session, the permission and the CSRF token before any handler here runs.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { StaffModuleOptions } from '../contract.js';
import { renderPage } from '../layout.js';
import type { CsvExport } from './exports.js';
import { deadLettersCsv, feedbackCsv, funnelsCsv, unansweredCsv } from './exports.js';
import { EXPORTS, insightsMain, type Notice } from './page.js';
import { parsePeriod, type Period } from './period.js';
import { buildReport, type ReportSources } from './report.js';
import { T } from './texts.js';

/** A receipt as the retry redirect carries it back for the notice; anything else is ignored. */
const RECEIPT = /^[A-Z0-9-]{1,40}$/;

const RetryParams = z.object({ id: z.string().min(1).max(200) });

function noticeFrom(query: unknown): Notice | undefined {
  const q = (query ?? {}) as { requeued?: unknown; requeue?: unknown };
  if (typeof q.requeued === 'string' && RECEIPT.test(q.requeued)) {
    return { kind: 'requeued', receipt: q.requeued };
  }
  if (q.requeue === 'failed') return { kind: 'not-requeued' };
  return undefined;
}

function sendCsv(reply: FastifyReply, csv: CsvExport): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csv.filename}"`)
    .header('cache-control', 'no-store')
    .send(csv.body);
}

/** Registers the insights page, exports and dead-letter retry under `/staff/insights`. */
export const insightsRoutes: FastifyPluginAsync<StaffModuleOptions> = async (app, options) => {
  const sources: ReportSources = {
    insights: options.stores.insights,
    outbox: options.stores.outbox,
    knowledge: options.knowledge,
    registry: options.registry,
  };
  const period = (req: FastifyRequest): Period => parsePeriod(req.query, new Date());

  app.get('/staff/insights', { config: { permission: 'insights' } }, async (req, reply) => {
    const staff = req.staff;
    if (!staff) return reply.code(401).send();
    const report = await buildReport(sources, period(req));
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        renderPage({
          title: T.title,
          staff,
          active: 'insights',
          main: insightsMain(report, staff, noticeFrom(req.query)),
        }),
      );
  });

  const csvExports: Record<string, (req: FastifyRequest) => Promise<CsvExport>> = {
    [EXPORTS.unanswered]: (req) => unansweredCsv(sources, period(req)),
    [EXPORTS.feedback]: (req) => feedbackCsv(sources, period(req)),
    [EXPORTS.funnels]: (req) => funnelsCsv(sources, period(req)),
    [EXPORTS.deadLetters]: () => deadLettersCsv(sources, new Date()),
  };
  for (const [file, build] of Object.entries(csvExports)) {
    app.get(`/staff/insights/${file}`, { config: { permission: 'insights' } }, async (req, reply) =>
      sendCsv(reply, await build(req)),
    );
  }

  app.post(
    '/staff/insights/dead-letters/:id/retry',
    { config: { permission: 'admin' } },
    async (req, reply) => {
      const params = RetryParams.safeParse(req.params);
      const days = period(req).days;
      const back = (query: string) =>
        reply.redirect(`/staff/insights?days=${days}&${query}#insights-dead-letters`, 303);
      if (!params.success) return back('requeue=failed');
      const record = await options.stores.outbox.get(params.data.id);
      const requeued = record ? await options.stores.outbox.requeue(record.id, new Date()) : false;
      if (!record || !requeued) return back('requeue=failed');
      req.log.info(
        { receipt: record.receipt, by: req.staff?.username },
        'dead submission requeued',
      );
      return back(`requeued=${encodeURIComponent(record.receipt)}`);
    },
  );
};
