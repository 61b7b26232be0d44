/**
 * The Web Chat user: Direct Line 3.0 over HTTP exactly as Web Chat speaks it — a token from the
 * page's endpoint, activities posted and read by watermark, buttons sent back as `messageBack`,
 * a location as a `GeoCoordinates` entity, a photo through the multipart upload.
 */
import type { Activity } from 'botbuilder';
import { plain, type ChannelDriver } from './driver.js';

/** `settle` resolves when the server has finished the turns it started (adapter.whenIdle). */
export async function webChatDriver(
  origin: string,
  settle: () => Promise<void>,
): Promise<ChannelDriver> {
  const started = await fetch(`${origin}/api/webchat/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { token, conversationId, userId } = (await started.json()) as Record<string, string>;
  const base = `${origin}/v3/directline/conversations/${conversationId}`;
  const auth = { authorization: `Bearer ${token}` };
  let watermark = '0';
  let lastActions: NonNullable<Activity['suggestedActions']>['actions'] = [];

  async function post(activity: Partial<Activity>) {
    const res = await fetch(`${base}/activities`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: userId }, ...activity }),
    });
    if (!res.ok) throw new Error(`web chat post: HTTP ${res.status}`);
  }

  /** What the bot said since the last read, once the server's turns have finished. */
  async function read(): Promise<Partial<Activity>[]> {
    await settle();
    const res = await fetch(`${base}/activities?watermark=${watermark}`, { headers: auth });
    const page = (await res.json()) as { activities: Partial<Activity>[]; watermark: string };
    watermark = page.watermark;
    return page.activities.filter((a) => a.from?.role === 'bot');
  }

  let pending: Partial<Activity>[] = [];
  /** Reads the bot's answer and remembers the buttons it offered last. */
  const answered = async () => {
    pending = await read();
    const withActions = pending.filter((a) => a.suggestedActions?.actions?.length).at(-1);
    if (withActions) lastActions = withActions.suggestedActions!.actions;
  };
  const exchange = async (activity: Partial<Activity>) => {
    await post(activity);
    await answered();
  };

  return {
    name: 'Web Chat',
    say: (text) => exchange({ text }),
    async press(title) {
      const action = lastActions.find((a) => a.title === title);
      if (!action) throw new Error(`web chat: no button "${title}"`);
      await exchange({ text: action.displayText ?? action.text ?? title, value: action.value });
    },
    shareLocation: (latitude, longitude) =>
      exchange({ entities: [{ type: 'GeoCoordinates', latitude, longitude }] }),
    async sendPhoto(bytes) {
      const form = new FormData();
      form.append(
        'activity',
        new Blob([JSON.stringify({ type: 'message', from: { id: userId } })], {
          type: 'application/vnd.microsoft.activity',
        }),
      );
      form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'schlagloch.jpg');
      const res = await fetch(`${base}/upload?userId=${encodeURIComponent(userId!)}`, {
        method: 'POST',
        headers: auth,
        body: form,
      });
      if (!res.ok) throw new Error(`web chat upload: HTTP ${res.status}`);
      await answered();
    },
    async replies() {
      const texts = pending.map((a) => plain(a.text ?? '')).join('\n');
      pending = [];
      return texts;
    },
    close: async () => undefined,
  };
}
