/**
 * How the bot hands a confirmed application over: one transaction writes the submission to the
 * outbox and the conversation state that says the flow is done, so a crash can lose neither the
 * application nor leave a flow that looks unfinished after it was submitted.
 */
import { ConversationState, type TurnContext } from 'botbuilder';
import type { NewSubmission, OutboxStore } from '../flows/outbox/types.js';

import type { SqlClient } from '../storage/sql.js';
import type { SqlStateStorage } from '../storage/state-storage.js';

export interface SubmissionPort {
  /** Enqueues the submission and saves the turn's conversation state, atomically; returns the receipt. */
  submit(context: TurnContext, submission: NewSubmission): Promise<{ receipt: string }>;
}

/** The SQL implementation: outbox and bot state share the database and the transaction. */
export function sqlSubmissions(
  sql: SqlClient,
  state: SqlStateStorage,
  outbox: OutboxStore,
): SubmissionPort {
  return {
    async submit(context, submission) {
      return sql.transaction(async (tx) => {
        const record = await outbox.enqueue(submission, tx);
        // ConversationState caches per turn under one key, so a second instance bound to the
        // transaction saves exactly the state this turn changed.
        const inTransaction = new ConversationState(state.withClient(tx));
        await inTransaction.saveChanges(context, true);
        return { receipt: record.receipt };
      });
    },
  };
}
