import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { KnowledgeError } from '../../../../knowledge/errors.js';
import { pullModel } from '../../../../knowledge/search/dense/model-pull.js';
import { createTransformersEmbedder } from '../../../../knowledge/search/dense/transformers-embedder.js';
import { writeTinyEmbeddingModelToTemp } from '../../../fixtures/tiny-embedding-model.js';

/** A stand-in for the hub: serves `/<owner>/<model>/resolve/<revision>/<file>` from memory. */
interface FakeHub {
  files: Map<string, Buffer>;
  requests: string[];
  authorizations: (string | undefined)[];
}

function startHub(hub: FakeHub): Promise<Server> {
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    hub.requests.push(url);
    hub.authorizations.push(request.headers.authorization);
    const body = hub.files.get(url);
    if (!body) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function pullError(promise: Promise<unknown>): Promise<KnowledgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KnowledgeError);
  expect((error as KnowledgeError).code).toBe('LOTSE_MODEL_UNAVAILABLE');
  return error as KnowledgeError;
}

describe('pulling a model from the hub', () => {
  const hub: FakeHub = { files: new Map(), requests: [], authorizations: [] };
  const modelFiles = new Map<string, Buffer>();
  let server: Server;
  let baseUrl: string;
  let target: string;

  beforeAll(async () => {
    const source = await writeTinyEmbeddingModelToTemp();
    for (const file of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
    ]) {
      modelFiles.set(file, await readFile(join(source, file)));
    }
    await rm(dirname(source), { recursive: true, force: true });
    server = await startHub(hub);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(async () => {
    hub.files.clear();
    hub.requests.length = 0;
    hub.authorizations.length = 0;
    for (const [file, body] of modelFiles) hub.files.set(`/acme/tiny/resolve/main/${file}`, body);
    target = await mkdtemp(join(tmpdir(), 'lotse-pull-'));
  });

  afterEach(async () => {
    await rm(target, { recursive: true, force: true });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('downloads the four files into target/owner/model, and the embedder loads them', async () => {
    const seen: string[] = [];
    const pulled = await pullModel('acme/tiny', target, fetch, {
      baseUrl,
      onFile: (file) => seen.push(file),
    });
    const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
    expect(pulled.dir).toBe(join(target, 'acme', 'tiny'));
    expect(pulled.files).toEqual(files);
    expect(seen).toEqual(files);
    expect(pulled.bytes).toBe([...modelFiles.values()].reduce((sum, b) => sum + b.length, 0));
    expect(await readFile(join(pulled.dir, 'onnx', 'model.onnx'))).toEqual(
      modelFiles.get('onnx/model.onnx'),
    );
    expect(await readdir(join(target, 'acme'))).toEqual(['tiny']);
    const embedder = await createTransformersEmbedder(pulled.dir);
    const [vector] = await embedder.embed(['Personalausweis']);
    await embedder.dispose();
    expect(vector).toHaveLength(128);
  });

  it('uses the given fetch, revision and token', async () => {
    for (const [file, body] of modelFiles) hub.files.set(`/acme/tiny/resolve/v1.0/${file}`, body);
    const counting = vi.fn((input: string | URL | Request, init?: RequestInit) =>
      fetch(input, init),
    );
    await pullModel('acme/tiny', target, counting, {
      baseUrl: `${baseUrl}/`,
      revision: 'v1.0',
      token: 't0k',
    });
    expect(counting).toHaveBeenCalledTimes(4);
    expect(hub.requests).toEqual([
      '/acme/tiny/resolve/v1.0/config.json',
      '/acme/tiny/resolve/v1.0/tokenizer.json',
      '/acme/tiny/resolve/v1.0/tokenizer_config.json',
      '/acme/tiny/resolve/v1.0/onnx/model.onnx',
    ]);
    expect(hub.authorizations).toEqual(Array(4).fill('Bearer t0k'));
  });

  it('falls back to the quantised weights when the model has no full-precision file', async () => {
    const weights = hub.files.get('/acme/tiny/resolve/main/onnx/model.onnx')!;
    hub.files.delete('/acme/tiny/resolve/main/onnx/model.onnx');
    hub.files.set('/acme/tiny/resolve/main/onnx/model_quantized.onnx', weights);
    const pulled = await pullModel('acme/tiny', target, fetch, { baseUrl });
    expect(pulled.files.at(-1)).toBe('onnx/model_quantized.onnx');
    expect(await readdir(join(pulled.dir, 'onnx'))).toEqual(['model_quantized.onnx']);
  });

  it('fails clearly on a 404 for a required file and leaves no partial model behind', async () => {
    hub.files.delete('/acme/tiny/resolve/main/tokenizer_config.json');
    const error = await pullError(pullModel('acme/tiny', target, fetch, { baseUrl }));
    expect(error.message).toContain('could not pull embedding model "acme/tiny"');
    expect(error.message).toContain(`${baseUrl}/acme/tiny/resolve/main/tokenizer_config.json`);
    expect(error.message).toContain('HTTP 404');
    expect(await readdir(target)).toEqual([]);
  });

  it('fails when neither ONNX file exists, naming the last one tried', async () => {
    hub.files.delete('/acme/tiny/resolve/main/onnx/model.onnx');
    const error = await pullError(pullModel('acme/tiny', target, fetch, { baseUrl }));
    expect(error.message).toMatch(/onnx\/model_quantized\.onnx answered HTTP 404/);
    expect(await readdir(target)).toEqual([]);
  });

  it('keeps an existing model intact when a new pull fails', async () => {
    await pullModel('acme/tiny', target, fetch, { baseUrl });
    hub.files.delete('/acme/tiny/resolve/main/onnx/model.onnx');
    await pullError(pullModel('acme/tiny', target, fetch, { baseUrl, precision: 'fp32' }));
    expect(await readdir(join(target, 'acme'))).toEqual(['tiny']);
    expect((await readdir(join(target, 'acme', 'tiny'))).sort()).toEqual([
      'config.json',
      'onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
  });

  it('replaces an existing model when the new pull completes', async () => {
    await pullModel('acme/tiny', target, fetch, { baseUrl });
    await writeFile(join(target, 'acme', 'tiny', 'stale.txt'), 'old');
    await pullModel('acme/tiny', target, fetch, { baseUrl });
    expect(await readdir(join(target, 'acme', 'tiny'))).not.toContain('stale.txt');
    expect(await readdir(join(target, 'acme'))).toEqual(['tiny']);
  });

  it('rejects a tokenizer that is not JSON, such as a login page', async () => {
    hub.files.set('/acme/tiny/resolve/main/tokenizer.json', Buffer.from('<html>login</html>'));
    const error = await pullError(pullModel('acme/tiny', target, fetch, { baseUrl }));
    expect(error.message).toMatch(/tokenizer\.json from .* is not JSON/);
    expect(await readdir(target)).toEqual([]);
  });

  it('reports an unreachable hub with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await pullError(
      pullModel('acme/tiny', target, fetch, { baseUrl: `http://127.0.0.1:${port}` }),
    );
    expect(error.message).toMatch(/fetch failed.*ECONNREFUSED/);
    expect(await readdir(target)).toEqual([]);
  });

  it('refuses names that could write outside the target directory, before any request', async () => {
    const never = vi.fn(fetch);
    for (const name of ['../evil', 'a/b/c', '/abs', 'acme/..', '', 'acme/tiny/']) {
      const error = await pullError(pullModel(name, target, never, { baseUrl }));
      expect(error.message).toContain('expected a hub model id like "owner/model"');
    }
    expect(never).not.toHaveBeenCalled();
  });
});
