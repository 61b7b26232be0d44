/** Drives a flow through the engine with a list of inputs, as the bot would. */
import {
  startFlow,
  stepFlow,
  type FlowInput,
  type FlowState,
  type StepResult,
} from '../../../flows/engine/engine.js';
import type { FlowDefinition } from '../../../flows/engine/definition.js';
import { FlowRegistry } from '../../../flows/registry.js';

export const registry = new FlowRegistry({
  parkingPermitFees: '- 12 Monate gültig: 30 Euro\n- 24 Monate gültig: 60 Euro',
});
export const NOW = new Date('2026-11-28T10:00:00Z');

export function drive(
  flow: FlowDefinition,
  inputs: (string | FlowInput)[],
  language: 'de' | 'en' = 'de',
): StepResult[] {
  const context = { language, now: NOW };
  const results = [startFlow(flow, context)];
  for (const input of inputs) {
    const state = results.at(-1)!.state as FlowState;
    if (!state) throw new Error('the flow ended before all inputs were given');
    results.push(
      stepFlow(flow, state, typeof input === 'string' ? { text: input } : input, context, (c) =>
        registry.errorText(c),
      ),
    );
  }
  return results;
}

/** The submit effect's payload at the end of a run. */
export function payloadOf(results: StepResult[]): Record<string, unknown> | undefined {
  const effect = results.at(-1)!.effects.find((e) => e.kind === 'submit');
  return effect && effect.kind === 'submit' ? effect.payload : undefined;
}
