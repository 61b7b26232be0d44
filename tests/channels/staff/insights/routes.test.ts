/**
 * The insights routes driven in-process behind the console's real auth gate, on real in-memory
 * stores filled the way the bot fills them (questions masked and keyed, flow events, feedback,
 * outbox submissions): the page, the CSV exports, and the dead-letter retry.
 */
import { rmSync } from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionGroupKey } from '../../../../bot/insights/group-key.js';
import { redactQuestion } from '../../../../bot/insights/redact.js';
import { openKnowledge, type KnowledgeBase } from '../../../../knowledge/knowledge-base.js';
import type { QuestionOutcome } from '../../../../storage/types.js';
import { tempDir } from '../../../knowledge/fixtures.js';
import type { Session } from '../auth/console-app.js';
import { startInsightsApp, type InsightsApp } from './insights-app.js';

const PERSONALAUSWEIS = '1063441';
const BOM = '\uFEFF';

let knowledge: KnowledgeBase;
let dir: string;
let insights: InsightsApp;
let editor: Session;
let admin: Session;
let agent: Session;
let deadId: string;
let deadReceipt: string;

/** Questions are an hour old, a second apart in the order asked (the latest wording is shown). */
let asked = Date.now() - 3_600_000;

async function ask(text: string, outcome: QuestionOutcome, serviceId?: string): Promise<void> {
  asked += 1000;
  await insights.stores.insights.recordQuestion({
    text: redactQuestion(text),
    groupKey: questionGroupKey(text),
    language: 'de',
    outcome,
    confidence: outcome === 'abstained' ? 0 : 0.5,
    ...(serviceId ? { serviceId } : {}),
    createdAt: new Date(asked).toISOString(),
  });
}

beforeAll(async () => {
  dir = tempDir('lotse-insights-routes-');
  knowledge = await openKnowledge({ dataDir: dir, persistSnapshot: false });
  insights = await startInsightsApp(knowledge);
  const { stores } = insights;
  await ask('Hundesteuer zahlen', 'abstained');
  await ask('zahle Hundesteuer? anna@example.org', 'low-confidence', PERSONALAUSWEIS);
  await ask('=HYPERLINK("http://evil.example","Wetter")', 'abstained');
  await ask('Ich möchte einen Termin beim Bürgerbüro', 'answered', PERSONALAUSWEIS);
  const now = new Date().toISOString();
  await stores.feedback.record({
    conversationId: 'c1',
    activityId: 'a1',
    serviceId: PERSONALAUSWEIS,
    facet: 'fees',
    rating: 'down',
    createdAt: now,
  });
  await stores.feedback.record({
    conversationId: 'c2',
    activityId: 'a2',
    serviceId: PERSONALAUSWEIS,
    facet: 'fees',
    rating: 'up',
    createdAt: now,
  });
  for (const [runId, events] of Object.entries({
    r1: ['started', 'category', 'location', 'completed'],
    r2: ['started', 'category', 'abandoned'],
    r3: ['started'],
    r4: ['started', 'category', 'location'],
  })) {
    for (const e of events) {
      const step = !['started', 'completed', 'abandoned'].includes(e);
      await stores.insights.recordFlowEvent({
        runId,
        flow: 'maengelmeldung',
        event: step ? 'step' : (e as 'started' | 'completed' | 'abandoned'),
        ...(step ? { detail: e } : e === 'abandoned' ? { detail: 'cancelled' } : {}),
        createdAt: now,
      });
    }
  }
  // An application an agent entered for a caller: not part of the citizens' funnel.
  for (const [event, detail] of [
    ['started'],
    ['step', 'category'],
    ['step', 'location'],
    ['completed'],
  ] as const) {
    await stores.insights.recordFlowEvent({
      runId: 'by-staff',
      flow: 'maengelmeldung',
      event,
      ...(detail ? { detail } : {}),
      byStaff: true,
      createdAt: now,
    });
  }
  const dead = await stores.outbox.enqueue({
    flow: 'maengelmeldung',
    connector: 'open311',
    payload: { description: 'Geheime Beschreibung', email: 'bert@example.org' },
  });
  await stores.outbox.markDead(dead.id, 'HTTP 422: email bert@example.org invalid');
  await stores.outbox.enqueue({ flow: 'maengelmeldung', connector: 'open311', payload: {} });
  deadId = dead.id;
  deadReceipt = dead.receipt;
  editor = await insights.loginAs('erika', 'editor');
  admin = await insights.loginAs('adam', 'admin');
  agent = await insights.loginAs('anna', 'agent');
});

afterAll(async () => {
  await insights?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(url: string, session?: Session) {
  return insights.app.inject({
    url,
    headers: { accept: 'text/html', ...(session ? { cookie: session.cookie } : {}) },
  });
}

function retry(session: Session, id = deadId, csrf = session.csrfToken) {
  return insights.app.inject({
    method: 'POST',
    url: `/staff/insights/dead-letters/${encodeURIComponent(id)}/retry?days=7`,
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(csrf)}`,
  });
}

/** The section labelled by heading `id`. */
function sectionOf(body: string, id: string) {
  const doc = parseDocument(body);
  const el = DomUtils.findOne(
    (e) => e.name === 'section' && e.attribs['aria-labelledby'] === id,
    doc.children,
  );
  if (!el || !DomUtils.getElementById(id, doc.children)) throw new Error(`no section ${id}`);
  return el;
}

/** The text of a section, whitespace collapsed. */
function section(body: string, id: string): string {
  return DomUtils.textContent(sectionOf(body, id)).replace(/\s+/g, ' ');
}

/** The table rows of a section, each as its cells' texts joined by " | ". */
function tableRows(body: string, id: string): string[] {
  return DomUtils.findAll((e) => e.name === 'tr', [sectionOf(body, id)]).map((tr) =>
    DomUtils.findAll((e) => e.name === 'th' || e.name === 'td', tr.children)
      .map((c) => DomUtils.textContent(c).replace(/\s+/g, ' ').trim())
      .join(' | '),
  );
}

/** The rows of a CSV body (no quoted line breaks in these fixtures). */
function csvRows(body: string): string[] {
  expect(body.startsWith(BOM)).toBe(true);
  expect(body.endsWith('\r\n')).toBe(true);
  return body.slice(1, -2).split('\r\n');
}

describe('GET /staff/insights', () => {
  it('lists a recorded unanswered question group with its latest wording, counts and closest service', async () => {
    const res = await get('/staff/insights', editor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const rows = tableRows(res.body, 'insights-unanswered');
    const name = knowledge.search.get(PERSONALAUSWEIS)?.name ?? 'missing';
    expect(rows[0]).toBe(
      'Beispiel (letzte Formulierung) | Anzahl | Ohne Antwort | Unsicher beantwortet | Nächstliegende Leistung | Zuletzt gefragt',
    );
    // "Hundesteuer zahlen" and "zahle Hundesteuer? …" are one group: 2 asked, 1 + 1.
    expect(rows[1]).toMatch(
      new RegExp(`^zahle Hundesteuer\\? \\[E-Mail\\] \\| 2 \\| 1 \\| 1 \\| ${name} \\| \\d`),
    );
    // Confidently answered questions are not listed; personal data never.
    expect(rows).toHaveLength(3);
    expect(res.body).not.toContain('Bürgerbüro');
    expect(res.body).not.toContain('anna@example.org');
  });

  it('shows feedback, funnels with percentages of the runs started, and outbox counts as charts and tables', async () => {
    const res = await get('/staff/insights?days=7', editor);
    const doc = parseDocument(res.body);
    const charts = DomUtils.findAll((e) => e.name === 'svg', doc.children);
    expect(charts).toHaveLength(3);
    for (const chart of charts) {
      expect(chart.attribs.role).toBe('img');
      expect(chart.attribs['aria-label']?.length).toBeGreaterThan(10);
    }
    const name = knowledge.search.get(PERSONALAUSWEIS)?.name ?? 'missing';
    expect(tableRows(res.body, 'insights-feedback')).toContain(`${name} | Gebühren | 1 | 1 | 50 %`);
    expect(section(res.body, 'insights-funnels')).toContain(
      'Anträge, die Mitarbeitende für Anrufende aufnehmen, sind nicht mitgezählt.',
    );
    expect(tableRows(res.body, 'insights-funnels')).toEqual([
      'Schritt | Anzahl | Anteil der begonnenen',
      'Begonnen | 4 | 100 %',
      'Schritt: Art des Mangels | 3 | 75 %',
      'Schritt: Ort | 2 | 50 %',
      'Abgeschlossen | 1 | 25 %',
      'Abgebrochen | 1 | 25 %',
    ]);
    expect(tableRows(res.body, 'insights-outbox').slice(0, 5)).toEqual([
      'Stand | Anzahl',
      'Ausstehend | 1',
      'Zugestellt | 0',
      'Abgelehnt | 0',
      'Unzustellbar | 1',
    ]);
  });

  it('keeps the period selector on the chosen period and links the exports for it', async () => {
    const res = await get('/staff/insights?days=90', editor);
    const doc = parseDocument(res.body);
    const select = DomUtils.getElementById('insights-days', doc.children);
    const selected = DomUtils.findOne(
      (e) => e.name === 'option' && 'selected' in e.attribs,
      [select!],
    );
    expect(selected?.attribs.value).toBe('90');
    const links = DomUtils.findAll((e) => e.name === 'a' && 'download' in e.attribs, doc.children);
    expect(links.map((a) => a.attribs.href)).toEqual([
      '/staff/insights/unanswered.csv?days=90',
      '/staff/insights/feedback.csv?days=90',
      '/staff/insights/funnels.csv?days=90',
      '/staff/insights/dead-letters.csv',
    ]);
  });

  it('lists dead submissions without payload or personal data, with a retry button for admins only', async () => {
    const asEditor = await get('/staff/insights', editor);
    const text = section(asEditor.body, 'insights-outbox');
    expect(text).toContain(deadReceipt);
    expect(text).toContain('HTTP 422: email [E-Mail] invalid');
    expect(asEditor.body).not.toContain('bert@example.org');
    expect(asEditor.body).not.toContain('Geheime Beschreibung');
    expect(asEditor.body).not.toContain('/retry');
    const asAdmin = await get('/staff/insights', admin);
    const doc = parseDocument(asAdmin.body);
    const form = DomUtils.findOne(
      (e) => e.name === 'form' && (e.attribs.action ?? '').endsWith('/retry?days=30'),
      doc.children,
    );
    expect(form?.attribs.method).toBe('post');
    const csrf = DomUtils.findOne((e) => e.name === 'input' && e.attribs.name === '_csrf', [form!]);
    expect(csrf?.attribs.value).toBe(admin.csrfToken);
    expect(DomUtils.textContent(form!).replace(/\s+/g, ' ').trim()).toBe(
      `Erneut senden – Antrag ${deadReceipt}`,
    );
  });

  it('is not for agents, and sends a visitor without a session to the login', async () => {
    expect((await get('/staff/insights', agent)).statusCode).toBe(403);
    const anonymous = await get('/staff/insights');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/staff/login');
  });
});

describe('CSV exports', () => {
  it('exports unanswered questions as an attachment, UTF-8 with BOM, semicolon-separated, formulas neutralised', async () => {
    const res = await get('/staff/insights/unanswered.csv?days=7', editor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="unbeantwortete-fragen-7-tage.csv"',
    );
    const rows = csvRows(res.body);
    expect(rows[0]).toBe(
      'Beispiel (letzte Formulierung);Themenwörter;Anzahl;Ohne Antwort;Unsicher beantwortet;Nächstliegende Leistung;serviceId;Zuletzt gefragt',
    );
    const name = knowledge.search.get(PERSONALAUSWEIS)?.name;
    expect(rows[1]).toMatch(
      new RegExp(
        `^zahle Hundesteuer\\? \\[E-Mail\\];hundesteu;2;1;1;${name};${PERSONALAUSWEIS};\\d{4}-`,
      ),
    );
    expect(rows[2]).toMatch(/^"'=HYPERLINK\(""\[Link: evil\.example\]"",""Wetter""\)";/);
    expect(rows).toHaveLength(3);
  });

  it('exports feedback, funnels and dead letters', async () => {
    const feedback = csvRows((await get('/staff/insights/feedback.csv', editor)).body);
    expect(feedback).toEqual([
      'Leistung;Leistungs-ID;Thema der Antwort;Hilfreich;Nicht hilfreich',
      `${knowledge.search.get(PERSONALAUSWEIS)?.name};${PERSONALAUSWEIS};Gebühren;1;1`,
    ]);
    const funnels = csvRows((await get('/staff/insights/funnels.csv', editor)).body);
    expect(funnels).toEqual([
      'Antrag;flow;Art;Schritt;field;Anzahl;Anteil der begonnenen',
      'Mängelmeldung;maengelmeldung;begonnen;Begonnen;;4;100',
      'Mängelmeldung;maengelmeldung;Schritt;Schritt: Art des Mangels;category;3;75',
      'Mängelmeldung;maengelmeldung;Schritt;Schritt: Ort;location;2;50',
      'Mängelmeldung;maengelmeldung;abgeschlossen;Abgeschlossen;;1;25',
      'Mängelmeldung;maengelmeldung;abgebrochen;Abgebrochen;;1;25',
    ]);
    const dead = await get('/staff/insights/dead-letters.csv', editor);
    expect(dead.headers['content-disposition']).toMatch(
      /^attachment; filename="unzustellbare-antraege-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = csvRows(dead.body);
    expect(rows[0]).toBe(
      'Vorgangsnummer;Antrag;flow;Schnittstelle;Versuche;Letzter Fehler;Angelegt',
    );
    expect(rows[1]).toMatch(
      new RegExp(
        `^${deadReceipt};Mängelmeldung;maengelmeldung;open311;0;HTTP 422: email \\[E-Mail\\] invalid;\\d{4}-`,
      ),
    );
    expect(dead.body).not.toContain('bert@example.org');
  });

  it('are not for agents', async () => {
    for (const file of ['unanswered', 'feedback', 'funnels', 'dead-letters']) {
      expect((await get(`/staff/insights/${file}.csv`, agent)).statusCode).toBe(403);
    }
  });
});

describe('POST /staff/insights/dead-letters/:id/retry', () => {
  it('is forbidden to editors, and refused without the CSRF token', async () => {
    expect((await retry(editor)).statusCode).toBe(403);
    expect((await retry(admin, deadId, 'wrong-token')).statusCode).toBe(403);
    expect((await insights.stores.outbox.get(deadId))?.status).toBe('dead');
  });

  it('puts the submission back in the queue for an admin and says so on the page', async () => {
    const res = await retry(admin);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(
      `/staff/insights?days=7&requeued=${deadReceipt}#insights-dead-letters`,
    );
    const record = await insights.stores.outbox.get(deadId);
    expect(record).toMatchObject({ status: 'pending', attempts: 0 });
    const page = await get(String(res.headers.location).replace(/#.*$/, ''), admin);
    const doc = parseDocument(page.body);
    const status = DomUtils.findOne((e) => e.attribs.role === 'status', doc.children);
    expect(DomUtils.textContent(status!)).toBe(`Antrag ${deadReceipt} wird erneut gesendet.`);
    expect(section(page.body, 'insights-outbox')).toContain('Keine unzustellbaren Anträge.');
  });

  it('reports a submission that is not dead (any more) or unknown', async () => {
    for (const id of [deadId, 'no-such-id']) {
      const res = await retry(admin, id);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(
        '/staff/insights?days=7&requeue=failed#insights-dead-letters',
      );
    }
    const page = await get('/staff/insights?requeue=failed', admin);
    expect(page.body).toContain('Der Antrag konnte nicht erneut gesendet werden');
  });
});
