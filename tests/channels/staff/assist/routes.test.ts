/**
 * The assist routes driven in-process: the "Auskunft" page and its JSON twin, the card of one
 * service, the flow list and dialog page, and the token route for applications entered for a
 * caller. See assist-app.ts for how the staff member is put on each request.
 */
import { rmSync } from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openKnowledge, type KnowledgeBase } from '../../../../knowledge/knowledge-base.js';
import { service, tempDir } from '../../../knowledge/fixtures.js';
import { STAFF, startAssistApp, type AssistApp } from './assist-app.js';

const FEE_QUESTION = 'Was kostet ein Personalausweis?';
const PERSONALAUSWEIS = '1063441';
const OUT_OF_SCOPE = 'Wie wird das Wetter morgen?';

let knowledge: KnowledgeBase;
let dir: string;
let assist: AssistApp;

beforeAll(async () => {
  dir = tempDir('lotse-assist-routes-');
  knowledge = await openKnowledge({ dataDir: dir, persistSnapshot: false });
  assist = await startAssistApp(knowledge);
});
afterAll(async () => {
  await assist.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => assist.actAs(STAFF));

async function page(url: string) {
  const res = await assist.app.inject({ url, headers: { accept: 'text/html' } });
  return { res, doc: parseDocument(res.body) };
}

/** The text of the element with this id, whitespace collapsed. */
function textOf(doc: ReturnType<typeof parseDocument>, id: string): string {
  const el = DomUtils.getElementById(id, doc.children);
  if (!el) throw new Error(`no element #${id}`);
  return DomUtils.textContent(el).replace(/\s+/g, ' ').trim();
}

function search(q: string) {
  return page(`/staff?q=${encodeURIComponent(q)}`);
}

describe('GET /staff (Auskunft)', () => {
  it('shows the search form, labelled, that works without scripts', async () => {
    const { res, doc } = await page('/staff');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const form = DomUtils.findOne(
      (e) => e.name === 'form' && e.attribs.role === 'search',
      doc.children,
    );
    expect(form?.attribs).toMatchObject({ method: 'get', action: '/staff' });
    const label = DomUtils.findOne((e) => e.name === 'label', doc.children);
    expect(label?.attribs.for).toBe('assist-q');
    expect(DomUtils.textContent(label ?? [])).toBe('Anliegen des Anrufers');
    expect(DomUtils.getElementById('assist-q', doc.children)?.attribs.name).toBe('q');
    expect(res.body).toContain('<script src="/staff/assets/assist.js" defer></script>');
  });

  it('answers "Was kostet ein Personalausweis?" with a card carrying the catalogue fee text and source', async () => {
    const { res, doc } = await search(FEE_QUESTION);
    expect(res.statusCode).toBe(200);
    const service = knowledge.search.get(PERSONALAUSWEIS);
    const fees = textOf(doc, `card-${PERSONALAUSWEIS}-fees`);
    expect(fees).toContain('unter 24 Jahren: 27,60 Euro');
    expect(fees).toContain('Bitte zahlen Sie die Gebühren erst vor Ort.');
    const source = DomUtils.getElementById(`card-${PERSONALAUSWEIS}-source`, doc.children);
    const link = DomUtils.findOne((e) => e.name === 'a', source?.children ?? []);
    expect(link?.attribs.href).toBe(service?.source.url);
    // The fee was asked for: its fact is marked; the confidence is shown.
    expect(res.body).toContain('Gebühren <span class="fact-asked-badge">(gefragt)</span>');
    expect(textOf(doc, `card-${PERSONALAUSWEIS}`)).toContain('Treffersicherheit: hoch (100 %)');
    // The value carries the text to copy, unescaped when the browser reads the attribute.
    const value = DomUtils.getElementById(`card-${PERSONALAUSWEIS}-fees`, doc.children);
    expect(value?.attribs['data-copy']).toBe(service?.fees?.text);
  });

  it('says "Im Katalog keine Angabe" where the catalogue holds nothing, with nothing to copy', async () => {
    const { doc } = await search(FEE_QUESTION);
    expect(textOf(doc, `card-${PERSONALAUSWEIS}-documents`)).toBe('Im Katalog keine Angabe');
    const value = DomUtils.getElementById(`card-${PERSONALAUSWEIS}-documents`, doc.children);
    expect(value?.attribs['data-copy']).toBeUndefined();
  });

  it('says honestly that it has no answer to "Wie wird das Wetter morgen?" and lists close services', async () => {
    const { res, doc } = await search(OUT_OF_SCOPE);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Dazu hat der Katalog keine sichere Antwort.');
    expect(res.body).not.toContain('class="answer-card"');
    expect(res.body).toContain('Nahe Leistungen zum Nachsehen');
    const candidates = DomUtils.findAll(
      (e) => e.name === 'a' && e.attribs.href?.startsWith('/staff/services/') === true,
      doc.children,
    );
    expect(candidates.length).toBeGreaterThan(0);
    expect(res.body).toMatch(/Treffersicherheit: gering \(\d+ %\)/);
  });

  it('escapes the query wherever it is shown', async () => {
    const evil = '"><script>alert(1)</script>';
    const { res } = await search(evil);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.body).toContain('Ergebnis für „&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;“');
  });

  it('refuses an over-long query with a message at the form', async () => {
    const { res } = await search('x'.repeat(501));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('höchstens 500 Zeichen');
    expect(res.body).toContain('aria-invalid="true"');
  });
});

describe('GET /staff/services/:id', () => {
  it('shows the card of one service, escaping catalogue text', async () => {
    await knowledge.search.upsert(
      service({
        id: 'evil-1',
        name: 'Hundehaltung <script>alert("x")</script>',
        fees: { text: 'Gebühr: <b>10 €</b> & mehr', markdown: '' },
      }),
    );
    const { res } = await page('/staff/services/evil-1');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('<b>10');
    expect(res.body).toContain(
      '<title>Hundehaltung &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
    expect(res.body).toContain('Gebühr: &lt;b&gt;10 €&lt;/b&gt; &amp; mehr');
  });

  it('offers the application for a caller when a flow exists for the service', async () => {
    const { res } = await page('/staff/services/lotse-kindergeld');
    expect(res.body).toContain('href="/staff/apply?flow=kindergeld"');
  });

  it('does not offer the application to an editor, who may not enter one', async () => {
    const offered = await search('Kindergeld beantragen');
    expect(offered.res.body).toContain('href="/staff/apply?flow=kindergeld"');
    assist.actAs({ ...STAFF, username: 'erik', role: 'editor' });
    const card = await page('/staff/services/lotse-kindergeld');
    expect(card.res.statusCode).toBe(200);
    expect(card.res.body).not.toContain('/staff/apply');
    const results = await search('Kindergeld beantragen');
    expect(results.res.body).toContain('href="/staff/services/lotse-kindergeld"');
    expect(results.res.body).not.toContain('/staff/apply');
  });

  it('answers 404 for an id the catalogue does not hold', async () => {
    const { res } = await page('/staff/services/nope');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Diese Leistung gibt es im Katalog nicht.');
  });
});

describe('GET /staff/api/search', () => {
  it('returns the same cards as JSON', async () => {
    const res = await assist.app.inject(`/staff/api/search?q=${encodeURIComponent(FEE_QUESTION)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ query: FEE_QUESTION, facet: 'fees', abstained: false });
    expect(body.cards[0]).toMatchObject({ id: PERSONALAUSWEIS, name: 'Personalausweis' });
    const fees = body.cards[0].facts.find((f: { key: string }) => f.key === 'fees');
    expect(fees.text).toBe(knowledge.search.get(PERSONALAUSWEIS)?.fees?.text);
    const documents = body.cards[0].facts.find((f: { key: string }) => f.key === 'documents');
    expect(documents).toMatchObject({ available: false, text: 'Im Katalog keine Angabe' });
    expect(body.candidates.length).toBeGreaterThan(0);
  });

  it('returns no card and the candidates when search abstains', async () => {
    const res = await assist.app.inject(`/staff/api/search?q=${encodeURIComponent(OUT_OF_SCOPE)}`);
    expect(res.json()).toMatchObject({ abstained: true, cards: [] });
    expect(res.json().candidates.length).toBeGreaterThan(0);
  });

  it('refuses a missing or over-long query with a coded 400', async () => {
    for (const url of ['/staff/api/search', `/staff/api/search?q=${'x'.repeat(501)}`]) {
      const res = await assist.app.inject(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('LOTSE_BAD_QUERY');
    }
  });
});

describe('GET /staff/apply', () => {
  it('lists the flows with links to start each', async () => {
    const { res } = await page('/staff/apply');
    expect(res.statusCode).toBe(200);
    for (const id of ['maengelmeldung', 'bewohnerparkausweis', 'wohnsitzanmeldung', 'kindergeld']) {
      expect(res.body).toContain(`href="/staff/apply?flow=${id}"`);
    }
  });

  it('shows the dialog page for a flow, saying it is entered for a caller, with a CSP for Web Chat', async () => {
    const { res, doc } = await page('/staff/apply?flow=kindergeld');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(res.body).toContain('für einen Anrufer auf');
    expect(res.body).toContain('„von Mitarbeitenden erfasst“');
    expect(res.body).toContain('(erfasst von anna)');
    expect(DomUtils.getElementById('apply', doc.children)?.attribs['data-flow-id']).toBe(
      'kindergeld',
    );
    expect(res.body).toContain('<script src="/staff/assets/apply.js" defer></script>');
  });

  it('answers 404 with the list for an unknown flow', async () => {
    const { res } = await page('/staff/apply?flow=nope');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Diesen Antrag gibt es nicht.');
    expect(res.body).toContain('href="/staff/apply?flow=kindergeld"');
  });
});

describe('POST /staff/api/apply/token', () => {
  const post = (payload: object) =>
    assist.app.inject({
      method: 'POST',
      url: '/staff/api/apply/token',
      headers: { 'x-csrf-token': STAFF.csrfToken },
      payload,
    });

  it('creates a conversation entered by the staff member and a token bound to it', async () => {
    const res = await post({});
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.userId).toMatch(/^staff-/);
    expect(body.expires_in).toBeGreaterThan(0);
    const conversation = await assist.stores.transcripts.getConversation(body.conversationId);
    expect(conversation).toMatchObject({ userId: body.userId, enteredBy: 'anna' });
    const check = assist.issuer.verify(body.token);
    expect(check).toMatchObject({
      ok: true,
      claims: { conversationId: body.conversationId, userId: body.userId },
    });
  });

  it('gives each application its own conversation and user', async () => {
    const [a, b] = await Promise.all([post({}), post({})]);
    expect(a.json().conversationId).not.toBe(b.json().conversationId);
    expect(a.json().userId).not.toBe(b.json().userId);
  });

  it('renews the token of a conversation the same staff member started, and no one else', async () => {
    const created = (await post({})).json();
    const renewed = await post({ conversationId: created.conversationId });
    expect(renewed.statusCode).toBe(200);
    expect(renewed.json()).toMatchObject({
      conversationId: created.conversationId,
      userId: created.userId,
    });

    assist.actAs({ ...STAFF, username: 'bernd' });
    const other = await post({ conversationId: created.conversationId });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('LOTSE_STAFF_FORBIDDEN');

    // A citizen's conversation (no enteredBy) cannot be opened either.
    await assist.stores.transcripts.createConversation({
      id: 'citizen-1',
      userId: 'web-1',
      createdAt: new Date().toISOString(),
    });
    assist.actAs(STAFF);
    expect((await post({ conversationId: 'citizen-1' })).statusCode).toBe(403);
    expect((await post({ conversationId: 'gone' })).statusCode).toBe(404);
  });

  it('refuses a body it does not know and a request without a session', async () => {
    expect((await post({ flowId: 'x' })).statusCode).toBe(400);
    assist.actAs(undefined);
    const res = await post({});
    expect(res.statusCode).toBe(401);
  });
});

describe('permissions', () => {
  it('declares "assist" on the look-ups and "apply" on applications for callers', () => {
    const routes = [...assist.permissions].filter(([route]) => !route.startsWith('HEAD '));
    expect(Object.fromEntries(routes)).toEqual({
      'GET /staff': 'assist',
      'GET /staff/api/search': 'assist',
      'GET /staff/services/:id': 'assist',
      'GET /staff/apply': 'apply',
      'POST /staff/api/apply/token': 'apply',
    });
  });
});
