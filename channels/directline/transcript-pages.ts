/**
 * Activity ids and pages of the transcript as Direct Line clients see them.
 *
 * An activity's id is `<conversationId>|<watermark, 7 digits>` (the shape Azure uses). The store
 * hands out the watermark only when it appends, so the id cannot be inside the stored JSON; it
 * is stamped on the way out instead. That is sound because the `TranscriptStore` contract makes
 * the watermark the activity's position (1, 2, 3 … without gaps): the i-th activity listed after
 * watermark W has watermark W + 1 + i. An activity stored with its own id keeps it.
 */
import type { Activity } from 'botbuilder';
import type { TranscriptStore } from '../../storage/types.js';

/** Activities per page for polling and per frame for a stream replay. */
export const PAGE_SIZE = 200;

/** The id of the activity at `watermark` in `conversationId`. */
export function activityId(conversationId: string, watermark: number): string {
  return `${conversationId}|${String(watermark).padStart(7, '0')}`;
}

/** One page of activities after a watermark, ids stamped, ready to send as an ActivitySet. */
export interface TranscriptPage {
  activities: Partial<Activity>[];
  /** The watermark of the last activity listed, or the one asked for when nothing is new. */
  watermark: number;
}

/** Reads the activities after `watermark` (at most `limit`) with their ids. */
export async function readPage(
  transcripts: TranscriptStore,
  conversationId: string,
  watermark: number,
  limit = PAGE_SIZE,
): Promise<TranscriptPage> {
  const page = await transcripts.list(conversationId, watermark, limit);
  return {
    activities: page.activities.map((activity, index) =>
      activity.id
        ? activity
        : { ...activity, id: activityId(conversationId, watermark + 1 + index) },
    ),
    watermark: page.watermark,
  };
}

/**
 * Parses a client's watermark: Direct Line sends it as a string (empty at the start). Returns
 * undefined for anything that is not a non-negative integer, so the caller answers 400.
 */
export function parseWatermark(value: unknown): number | undefined {
  if (value === undefined || value === '') return 0;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}
