/**
 * An in-memory `TranscriptStore` with the contract of the SQL one (watermarks 1, 2, 3 … per
 * conversation, no gaps; activities stored as JSON), so the Direct Line tests run without a
 * database.
 */
import type { Activity } from 'botbuilder';
import type { ConversationRecord, TranscriptStore } from '../../../storage/types.js';

export class MemoryTranscripts implements TranscriptStore {
  readonly conversations = new Map<string, ConversationRecord>();
  private readonly logs = new Map<string, string[]>();

  async createConversation(record: ConversationRecord): Promise<void> {
    const existing = this.conversations.get(record.id);
    this.conversations.set(record.id, {
      ...record,
      ...existing,
      ...((existing?.userId ?? record.userId) ? { userId: existing?.userId ?? record.userId } : {}),
    });
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    return this.conversations.get(id);
  }

  async append(conversationId: string, activity: Partial<Activity>): Promise<number> {
    if (!this.conversations.has(conversationId)) {
      this.conversations.set(conversationId, {
        id: conversationId,
        createdAt: new Date().toISOString(),
      });
    }
    const log = this.logs.get(conversationId) ?? [];
    log.push(JSON.stringify(activity));
    this.logs.set(conversationId, log);
    return log.length;
  }

  async list(
    conversationId: string,
    watermark: number,
    limit?: number,
  ): Promise<{ activities: Partial<Activity>[]; watermark: number }> {
    const log = this.logs.get(conversationId) ?? [];
    const end = limit === undefined ? log.length : Math.min(log.length, watermark + limit);
    const activities = log
      .slice(watermark, end)
      .map((json) => JSON.parse(json) as Partial<Activity>);
    return { activities, watermark: activities.length > 0 ? end : watermark };
  }

  /** Every stored activity of a conversation, for assertions. */
  stored(conversationId: string): Partial<Activity>[] {
    return (this.logs.get(conversationId) ?? []).map(
      (json) => JSON.parse(json) as Partial<Activity>,
    );
  }
}
