/**
 * The stream hub with fake sockets: replay after the watermark, then live activities, each once
 * and in order; gaps of out-of-order publications filled from the transcript (`fillGaps`), also
 * for what arrives during a replay; typing without a watermark; dead sockets dropped by the
 * heartbeat.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ActivitySet,
  StreamHub,
  type StreamSocket,
} from '../../../channels/directline/stream-hub.js';
import type { TranscriptPage } from '../../../channels/directline/transcript-pages.js';

class FakeSocket extends EventEmitter {
  readyState = 1;
  frames: ActivitySet[] = [];
  closedWith: number | undefined;
  pings = 0;

  send(data: string): void {
    this.frames.push(JSON.parse(data) as ActivitySet);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.close(1006);
  }
  ping(): void {
    this.pings += 1;
  }
  asSocket(): StreamSocket {
    return this as unknown as StreamSocket;
  }
  texts(): (string | undefined)[] {
    return this.frames.flatMap((frame) => frame.activities.map((a) => a.text));
  }
}

/** A transcript of `count` messages "m1" … and a replay over it, page size 2. */
function transcript(count: number) {
  const activities = Array.from({ length: count }, (_, i) => ({
    type: 'message',
    text: `m${i + 1}`,
  }));
  return async (after: number): Promise<TranscriptPage> => {
    const page = activities.slice(after, after + 2);
    return { activities: page, watermark: after + page.length };
  };
}

/**
 * A transcript that grows as the test commits activities: `replay` lists what is committed
 * (page size 2) and counts its reads; `commit(n)` makes "m1" … "mn" visible.
 */
function growingTranscript(committed: number) {
  const state = { committed, reads: 0 };
  return {
    state,
    commit(count: number) {
      state.committed = count;
    },
    async replay(after: number): Promise<TranscriptPage> {
      state.reads += 1;
      const last = Math.min(after + 2, state.committed);
      const activities = [];
      for (let w = after + 1; w <= last; w++) activities.push({ type: 'message', text: `m${w}` });
      return { activities, watermark: after + activities.length };
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StreamHub', () => {
  it('replays the activities after the watermark, page by page, then sends new ones live', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 1, transcript(4));
    hub.publish('c', { type: 'message', text: 'm5' }, 5);

    expect(socket.frames.map((f) => f.watermark)).toEqual(['3', '4', '5']);
    expect(socket.texts()).toEqual(['m2', 'm3', 'm4', 'm5']);
  });

  it('sends what is published during the replay once, after the replay, in order', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    const replay = transcript(3);
    let published = false;
    await hub.attach('c', socket.asSocket(), 0, async (after) => {
      if (!published) {
        published = true;
        // m3 is already stored (the replay will list it); m4 is new.
        hub.publish('c', { type: 'message', text: 'm3' }, 3);
        hub.publish('c', { type: 'message', text: 'm4' }, 4);
      }
      return replay(after);
    });
    expect(socket.texts()).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('with fillGaps, reads a gap from the transcript when a later activity arrives during the replay', async () => {
    const hub = new StreamHub({ fillGaps: true, heartbeatMs: 0 });
    const socket = new FakeSocket();
    const transcript = growingTranscript(6);
    let committedDuringReplay = false;
    await hub.attach('c', socket.asSocket(), 4, async (after) => {
      const page = await transcript.replay(after);
      if (page.activities.length === 0 && !committedDuringReplay) {
        // The replay has read up to m6. Now m7 and m8 commit (two instances) and m8's
        // publication arrives first.
        committedDuringReplay = true;
        transcript.commit(8);
        hub.publish('c', { type: 'message', text: 'm8' }, 8);
      }
      return page;
    });
    hub.publish('c', { type: 'message', text: 'm7' }, 7);

    expect(socket.texts()).toEqual(['m5', 'm6', 'm7', 'm8']);
    expect(socket.frames.map((frame) => frame.watermark)).toEqual(['6', '8']);
  });

  it('with fillGaps, gives up filling after a few reads and sends what it has', async () => {
    const hub = new StreamHub({ fillGaps: true, heartbeatMs: 0 });
    const socket = new FakeSocket();
    // The conversation was deleted meanwhile: the transcript never shows m1.
    const transcript = growingTranscript(0);
    let published = false;
    await hub.attach('c', socket.asSocket(), 0, async (after) => {
      if (!published) {
        published = true;
        hub.publish('c', { type: 'message', text: 'm2' }, 2);
      }
      return transcript.replay(after);
    });

    expect(socket.texts()).toEqual(['m2']);
    // The first replay plus three reads for the gap.
    expect(transcript.state.reads).toBe(4);
  });

  it('sends activities without a watermark (typing) to live streams without one', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, transcript(0));
    hub.publish('c', { type: 'typing' });
    expect(socket.frames).toEqual([{ activities: [{ type: 'typing' }] }]);
  });

  it('only sends to the streams of the activity’s conversation', async () => {
    const hub = new StreamHub();
    const mine = new FakeSocket();
    const other = new FakeSocket();
    await hub.attach('c', mine.asSocket(), 0, transcript(0));
    await hub.attach('d', other.asSocket(), 0, transcript(0));
    hub.publish('c', { type: 'message', text: 'für c' }, 1);
    expect(mine.texts()).toEqual(['für c']);
    expect(other.frames).toEqual([]);
  });

  it('forgets a socket when it closes', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, transcript(0));
    expect(hub.subscriberCount('c')).toBe(1);
    socket.close(1000);
    expect(hub.subscriberCount('c')).toBe(0);
  });

  it('closes the socket with 1011 when the replay fails', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, async () => {
      throw new Error('database down');
    });
    expect(socket.closedWith).toBe(1011);
    expect(hub.subscriberCount('c')).toBe(0);
  });

  it('ignores what clients send, such as empty keep-alive frames', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, transcript(0));
    socket.emit('message', Buffer.from(''));
    socket.emit('message', Buffer.from('{"type":"message"}'));
    expect(socket.frames).toEqual([]);
    expect(hub.subscriberCount('c')).toBe(1);
  });

  it('drops a socket that stopped answering pings, and keeps one that answers', async () => {
    vi.useFakeTimers();
    const hub = new StreamHub({ heartbeatMs: 1000 });
    const silent = new FakeSocket();
    const lively = new FakeSocket();
    await hub.attach('c', silent.asSocket(), 0, transcript(0));
    await hub.attach('c', lively.asSocket(), 0, transcript(0));

    vi.advanceTimersByTime(1000);
    expect([silent.pings, lively.pings]).toEqual([1, 1]);
    lively.emit('pong');
    vi.advanceTimersByTime(1000);

    expect(silent.closedWith).toBe(1006);
    expect(lively.closedWith).toBeUndefined();
    expect(hub.subscriberCount('c')).toBe(1);
    hub.close();
  });

  it('closes every stream with 1001 on shutdown', async () => {
    const hub = new StreamHub();
    const socket = new FakeSocket();
    await hub.attach('c', socket.asSocket(), 0, transcript(0));
    hub.close();
    expect(socket.closedWith).toBe(1001);
    expect(hub.subscriberCount('c')).toBe(0);
  });
});
