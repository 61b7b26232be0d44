/**
 * What the benchmarks send and how, in one place so their figures stay comparable: the catalogue
 * questions, a Direct Line turn as Web Chat makes it over REST (post, then poll every 2 ms until
 * the bot's reply to that activity is there), and the loop that runs many conversations at once
 * and records each turn's latency.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** Catalogue questions the benchmarks ask, in German and one in English. */
export const QUESTIONS = [
  'Was kostet ein Personalausweis?',
  'Wo kann ich mein Auto abmelden?',
  'Welche Unterlagen brauche ich für die Wohnsitzanmeldung?',
  'Kann ich ein Gewerbe online anmelden?',
  'Wie lange dauert ein Reisepass?',
  'Führungszeugnis beantragen',
  'Bewohnerparkausweis',
  'I lost my passport',
];

/** A web chat conversation's credentials and read position. */
export interface DirectLineSession {
  conversationId: string;
  token: string;
  watermark: string;
}

/** Starts a conversation through the web chat page's token endpoint. */
export async function startSession(base: string): Promise<DirectLineSession> {
  const res = await fetch(`${base}/api/webchat/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const s = (await res.json()) as { conversationId: string; token: string };
  return { ...s, watermark: '0' };
}

/** One turn: posts `text`, then polls until the bot replied to it. */
export async function directLineTurn(
  base: string,
  s: DirectLineSession,
  text: string,
): Promise<void> {
  const headers = { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' };
  const url = `${base}/v3/directline/conversations/${s.conversationId}/activities`;
  const post = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'message', from: { id: 'u' }, text }),
  });
  if (!post.ok) throw new Error(`post ${post.status}`);
  const { id } = (await post.json()) as { id: string };
  for (let attempt = 0; attempt < 2000; attempt++) {
    const got = await fetch(`${url}?watermark=${s.watermark}`, { headers });
    const body = (await got.json()) as {
      activities: { replyToId?: string; from: { role?: string } }[];
      watermark: string;
    };
    s.watermark = body.watermark;
    if (body.activities.some((a) => a.replyToId === id && a.from.role === 'bot')) return;
    await delay(2);
  }
  throw new Error('no reply');
}

/** Latencies of a run, its errors and its length. */
export interface Run {
  latencies: number[];
  errors: number;
  seconds: number;
}

/** Runs `users` conversations of `turns` turns each at once; a failed turn counts as an error. */
export async function drive(
  users: number,
  turns: number,
  turn: (user: number, question: string) => Promise<void>,
): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      for (let t = 0; t < turns; t++) {
        const began = performance.now();
        try {
          await turn(u, QUESTIONS[(u + t) % QUESTIONS.length]!);
          latencies.push(performance.now() - began);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - start) / 1000 };
}
