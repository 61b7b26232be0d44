/**
 * The load itself: concurrent Direct Line conversations over REST, as Web Chat without a
 * WebSocket would drive them. All ask catalogue questions, half of them also apply for a
 * Bewohnerparkausweis in between (open, five answers, submit). A turn is posting the activity and polling
 * `GET activities?watermark` every 2 ms until the bot's reply to it is there; in the flow that is
 * the reply asking the next question (or giving the receipt), so a conversation whose state got
 * lost or mixed up shows as an error naming the turn, not as a silently wrong dialog. With
 * several instances every conversation alternates between them turn by turn (or, for
 * comparison, stays on one).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { QUESTIONS } from '../traffic.js';

/** One user message and what one of the bot's replies to it must contain. */
interface Turn {
  text: string;
  value?: unknown;
  expect?: RegExp;
}

/** The Bewohnerparkausweis dialog of tests/channels/flows-directline.test.ts, without detours. */
const FLOW: Turn[] = [
  { text: 'Ich möchte einen Bewohnerparkausweis beantragen', expect: /vollständiger Name/ },
  { text: 'Erika Muster', expect: /Unter welcher Adresse/ },
  { text: 'Hauptstraße 5, 80331 München', expect: /Kennzeichen/ },
  { text: 'M-AB 1234', expect: /Halter/ },
  { text: 'ja', expect: /Zeitraum/ },
  { text: '12', expect: /prüfen Sie Ihre Angaben/ },
  { text: 'Absenden', value: { flowAction: 'submit' }, expect: /\*\*LT-[0-9A-Z-]+\*\*/ },
];

/** Turns per conversation. */
export const TURNS_PER_CONVERSATION = 14;

/**
 * Even conversations ask 14 catalogue questions; odd ones ask 3, apply for a Bewohnerparkausweis
 * and ask 4 more — a quarter of all turns are flow turns.
 */
function script(conversation: number): Turn[] {
  const ask = (count: number, from: number): Turn[] =>
    Array.from({ length: count }, (_, t) => ({
      text: QUESTIONS[(conversation + from + t) % QUESTIONS.length]!,
    }));
  if (conversation % 2 === 0) return ask(TURNS_PER_CONVERSATION, 0);
  return [...ask(3, 0), ...FLOW, ...ask(TURNS_PER_CONVERSATION - 3 - FLOW.length, 3)];
}

/** What the channel answers when a turn failed on the server (channels/directline/texts.ts). */
const APOLOGY = /etwas schiefgegangen|something went wrong/;
/** How long a turn may go without any reply before it counts as lost. */
const TURN_TIMEOUT_MS = 30_000;
/** How long after the first reply the expected one may still come. */
const SETTLE_MS = 3_000;
const POLL_INTERVAL_MS = 2;

export interface TrafficResult {
  /** Milliseconds per successful turn. */
  latencies: number[];
  /** The same, split into catalogue questions and flow turns. */
  byKind: { qa: number[]; flow: number[] };
  /** Failures by kind (e.g. "POST activity → 404 on B"), each kind counted. */
  errors: Map<string, number>;
  /** Turns not tried because an earlier turn of their conversation failed. */
  skipped: number;
  /** Most requests one conversation (one client address) sent to one instance. */
  maxRequestsPerClient: number;
  /** GET activities per successful turn, on average. */
  pollsPerTurn: number;
  /** Wall time of the turns (token requests excluded). */
  seconds: number;
  /** process.hrtime of the start and end of the turns, in µs (the profiles' clock). */
  windowUs: { from: number; to: number };
}

interface Activity {
  replyToId?: string;
  text?: string;
  from: { role?: string };
}

interface Session {
  conversationId: string;
  token: string;
  watermark: string;
  /** The client address this conversation's requests come from (the benchmark is the proxy). */
  address: string;
  requests: number[];
}

class TurnError extends Error {}

const firstNet = Math.floor(Math.random() * 250);
let runs = 0;

const label = (i: number) => String.fromCharCode(65 + i);
const excerpt = (text: string) => JSON.stringify(text.slice(0, 70));

/**
 * Runs `conversations` conversations at once against `bases` (instance URLs): conversation c gets
 * its token from instance c mod n, and its turn t goes to instance (c + t) mod n when
 * `alternate`, else always to instance c mod n (a load balancer with sticky sessions).
 * `onTurnsStart` runs when the tokens are there and the first turn is about to be posted.
 */
export async function drive(
  bases: string[],
  conversations: number,
  alternate: boolean,
  onTurnsStart: () => void = () => undefined,
): Promise<TrafficResult> {
  const errors = new Map<string, number>();
  const fail = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
  // A fresh address range per run, so per-address limits (shared through Redis, kept for a
  // minute) never carry over from an earlier run.
  const net = 1 + ((firstNet + runs++) % 250);
  const sessions = await Promise.all(
    Array.from({ length: conversations }, (_, c) =>
      openSession(bases, c, `10.${net}.${(c >> 8) & 255}.${c & 255}`),
    ),
  );

  const latencies: number[] = [];
  const byKind = { qa: [] as number[], flow: [] as number[] };
  let polls = 0;
  let skipped = 0;
  onTurnsStart();
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const start = performance.now();
  await Promise.all(
    sessions.map(async (s, c) => {
      const turns = script(c);
      for (let t = 0; t < turns.length; t++) {
        const began = performance.now();
        try {
          const n = await runTurn(bases, s, (c + (alternate ? t : 0)) % bases.length, turns[t]!, t);
          polls += n;
          const ms = performance.now() - began;
          latencies.push(ms);
          byKind[FLOW.includes(turns[t]!) ? 'flow' : 'qa'].push(ms);
        } catch (error) {
          fail(error instanceof TurnError ? error.message : `network: ${(error as Error).message}`);
          // What follows a broken turn would only repeat the error (and flood the instance).
          const rest = turns.length - t - 1;
          if (rest) skipped += rest;
          break;
        }
      }
    }),
  );
  return {
    latencies,
    byKind,
    errors,
    skipped,
    maxRequestsPerClient: Math.max(...sessions.flatMap((s) => s.requests)),
    pollsPerTurn: polls / Math.max(1, latencies.length),
    seconds: (performance.now() - start) / 1000,
    windowUs: { from: startUs, to: Number(process.hrtime.bigint() / 1000n) },
  };
}

async function openSession(bases: string[], c: number, address: string): Promise<Session> {
  const home = c % bases.length;
  const res = await fetch(`${bases[home]}/api/webchat/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: '{}',
  });
  if (!res.ok) throw new Error(`token on ${label(home)} → ${res.status}: ${await res.text()}`);
  const s = (await res.json()) as { conversationId: string; token: string };
  return { ...s, watermark: '0', address, requests: bases.map(() => 0) };
}

/** Posts one turn to instance `i` and polls it until the reply; returns the number of polls. */
async function runTurn(
  bases: string[],
  s: Session,
  i: number,
  turn: Turn,
  t: number,
): Promise<number> {
  const headers = {
    authorization: `Bearer ${s.token}`,
    'content-type': 'application/json',
    'x-forwarded-for': s.address,
  };
  const url = `${bases[i]}/v3/directline/conversations/${encodeURIComponent(s.conversationId)}/activities`;
  const where = `on ${label(i)} (turn ${t + 1} ${excerpt(turn.text)})`;
  s.requests[i]!++;
  const post = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      type: 'message',
      from: { id: 'u' },
      text: turn.text,
      ...(turn.value ? { value: turn.value } : {}),
    }),
  });
  if (!post.ok)
    throw new TurnError(`POST activity → ${post.status} ${where}: ${await brief(post)}`);
  const { id } = (await post.json()) as { id: string };
  const replies: Activity[] = [];
  const began = performance.now();
  let firstReplyAt: number | undefined;
  for (let polls = 1; ; polls++) {
    s.requests[i]!++;
    const got = await fetch(`${url}?watermark=${s.watermark}`, { headers });
    if (!got.ok)
      throw new TurnError(`GET activities → ${got.status} ${where}: ${await brief(got)}`);
    const body = (await got.json()) as { activities: Activity[]; watermark: string };
    s.watermark = body.watermark;
    replies.push(...body.activities.filter((a) => a.replyToId === id && a.from.role === 'bot'));
    if (replies.some((a) => APOLOGY.test(a.text ?? ''))) {
      throw new TurnError(`the bot apologised (the turn failed on the server) ${where}`);
    }
    if (replies.length && (!turn.expect || replies.some((a) => turn.expect!.test(a.text ?? '')))) {
      return polls;
    }
    const now = performance.now();
    firstReplyAt ??= replies.length ? now : undefined;
    if (firstReplyAt !== undefined && now - firstReplyAt > SETTLE_MS) {
      throw new TurnError(
        `wrong reply ${where}: expected ${turn.expect}, got ${replies.map((a) => excerpt(a.text ?? '')).join(' + ')}`,
      );
    }
    if (now - began > TURN_TIMEOUT_MS) {
      throw new TurnError(`no reply within ${TURN_TIMEOUT_MS / 1000} s ${where}`);
    }
    await delay(POLL_INTERVAL_MS);
  }
}

/** The start of an error body, for the error kind. */
async function brief(res: Response): Promise<string> {
  return (await res.text()).slice(0, 120).replace(/retry in \d+ seconds/, 'retry in … seconds');
}
