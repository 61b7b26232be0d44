/**
 * Dense retrieval wired into the knowledge layer, with the tiny model the tests generate.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKnowledge } from '../../knowledge/knowledge-base.js';
import { writeTinyEmbeddingModelToTemp } from '../fixtures/tiny-embedding-model.js';
import { tempDir } from './fixtures.js';

let modelDir: string;
beforeAll(async () => {
  modelDir = await writeTinyEmbeddingModelToTemp();
});
afterAll(() => rmSync(dirname(modelDir), { recursive: true, force: true }));

describe('openKnowledge with an embedding model', () => {
  it('computes the service vectors once, caches them in the data directory and reuses them', async () => {
    const dataDir = tempDir();
    const first = await openKnowledge({ dataDir, embeddingModel: modelDir });
    expect(first.dense).toBe('missing');
    expect(readdirSync(join(dataDir, 'vectors')).some((f) => f.endsWith('.bin'))).toBe(true);
    const second = await openKnowledge({ dataDir, embeddingModel: modelDir });
    expect(second.dense).toBe('hit');
  });

  it('fuses dense and lexical rankings but answers only with lexical evidence', async () => {
    const kb = await openKnowledge({
      dataDir: tempDir(),
      embeddingModel: modelDir,
      persistSnapshot: false,
    });
    const hit = await kb.search.search('Personalausweis beantragen', { limit: 5 });
    expect(hit.abstained).toBe(false);
    expect(hit.results.map((r) => r.service.id)).toContain('1063441');
    const oos = await kb.search.search('Wie wird das Wetter morgen?', { limit: 5 });
    expect(oos.abstained).toBe(true);
  });

  it('keeps dense retrieval off without a model and fails clearly with a missing one', async () => {
    const dataDir = tempDir();
    expect((await openKnowledge({ dataDir })).dense).toBe('off');
    await expect(
      openKnowledge({ dataDir, embeddingModel: join(dataDir, 'nope') }),
    ).rejects.toMatchObject({
      code: 'LOTSE_MODEL_UNAVAILABLE',
    });
    expect(existsSync(join(dataDir, 'vectors'))).toBe(false);
  });
});
