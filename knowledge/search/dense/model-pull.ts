/**
 * Downloads a sentence-embedding model from the Hugging Face hub into a local directory, for
 * `lotse models pull NAME` on a machine with network access. Lotse itself never downloads at run
 * time (see `transformers-embedder.ts`); this is the one deliberate, operator-started download.
 *
 * The files land in a staging directory next to the target and are moved into place only when
 * all of them arrived, so an interrupted or failed pull never leaves a half model that the
 * embedder would later fail on; a model already there stays intact until the new one is
 * complete.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { KnowledgeError } from '../../errors.js';

/** Tokenizer and configuration files transformers.js reads for a feature-extraction model. */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
/** The ONNX weights, full precision first; `auto` falls back to the quantised file on 404. */
export const ONNX_FILES = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx' } as const;

/** Where and how to download; every field has a default that suits the public hub. */
export interface PullOptions {
  /** Hub address. Default `https://huggingface.co`; tests point it at a local server. */
  baseUrl?: string;
  /** Branch, tag or commit. Default `main`. */
  revision?: string;
  /** Which weights: `fp32`, `q8`, or `auto` (fp32, else q8). Default `auto`. */
  precision?: 'fp32' | 'q8' | 'auto';
  /** Access token for gated or private models, sent as a bearer token. */
  token?: string;
  /** Cancels the download (for instance `AbortSignal.timeout(…)`). */
  signal?: AbortSignal;
  /** Called after each file with its path in the model and its size in bytes. */
  onFile?: (file: string, bytes: number) => void;
}

/** The model as it landed on disk. */
export interface PulledModel {
  /** The model directory: pass it as `LOTSE_EMBEDDING_MODEL`. */
  dir: string;
  files: string[];
  bytes: number;
}

/** Hub ids are `name` or `owner/name`; anything else could escape the target directory. */
const SEGMENT = /^\w[\w.-]{0,95}$/;

function failure(name: string, reason: string, cause?: unknown): KnowledgeError {
  return new KnowledgeError(
    'LOTSE_MODEL_UNAVAILABLE',
    `could not pull embedding model "${name}": ${reason}`,
    cause === undefined ? undefined : { cause },
  );
}

function checkName(name: string): string[] {
  const segments = name.split('/');
  const valid =
    segments.length >= 1 &&
    segments.length <= 2 &&
    segments.every((s) => SEGMENT.test(s) && !s.includes('..') && !s.includes('--'));
  if (!valid) throw failure(name, 'expected a hub model id like "owner/model"');
  return segments;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`${url} answered HTTP ${status}`);
  }
}

/** Streams one file to disk; throws {@link HttpStatusError} for a non-2xx answer. */
async function download(
  url: string,
  path: string,
  fetchImpl: typeof fetch,
  options: PullOptions,
): Promise<number> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetchImpl(url, { headers, signal: options.signal ?? null });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new HttpStatusError(response.status, url);
  }
  await mkdir(dirname(path), { recursive: true });
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  await pipeline(body, createWriteStream(path));
  return (await stat(path)).size;
}

/** Removes the directories this pull created (`created` and below, up to `from`) when empty. */
async function removeCreated(from: string, created: string | undefined): Promise<void> {
  if (!created) return;
  for (let dir = from; ; dir = dirname(dir)) {
    const removed = await rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!removed || dir === created || dirname(dir) === dir) return;
  }
}

/** The message of an error and of its cause: fetch reports "fetch failed" with the reason inside. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/**
 * Downloads `name` (for instance `Xenova/multilingual-e5-small`) into `targetDir/name`.
 *
 * @param fetchImpl The HTTP client; injectable so tests never leave the machine.
 * @throws KnowledgeError `LOTSE_MODEL_UNAVAILABLE` naming the model, the file and the answer
 *   when a file is missing, the hub refuses (401, 404) or the connection fails; nothing is left
 *   behind in that case.
 */
export async function pullModel(
  name: string,
  targetDir: string,
  fetchImpl: typeof fetch = fetch,
  options: PullOptions = {},
): Promise<PulledModel> {
  const segments = checkName(name);
  const base = (options.baseUrl ?? 'https://huggingface.co').replace(/\/+$/, '');
  const revision = encodeURIComponent(options.revision ?? 'main');
  const dir = join(targetDir, ...segments);
  let createdParent: string | undefined;
  const staging = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  const url = (file: string) => `${base}/${name}/resolve/${revision}/${file}`;
  const precision = options.precision ?? 'auto';
  const onnxChoices =
    precision === 'auto' ? [ONNX_FILES.fp32, ONNX_FILES.q8] : [ONNX_FILES[precision]];

  try {
    createdParent = await mkdir(dirname(dir), { recursive: true });
    const files: string[] = [];
    let bytes = 0;
    const fetchFile = async (file: string) => {
      const size = await download(url(file), join(staging, file), fetchImpl, options);
      files.push(file);
      bytes += size;
      options.onFile?.(file, size);
    };
    for (const file of MODEL_FILES) {
      await fetchFile(file);
      try {
        JSON.parse(await readFile(join(staging, file), 'utf8'));
      } catch (error) {
        throw failure(name, `${file} from ${url(file)} is not JSON (a login page?)`, error);
      }
    }
    for (const [index, file] of onnxChoices.entries()) {
      try {
        await fetchFile(file);
        break;
      } catch (error) {
        const last = index === onnxChoices.length - 1;
        if (last || !(error instanceof HttpStatusError && error.status === 404)) throw error;
      }
    }
    const previous = `${staging}.previous`;
    const replacing = await exists(dir);
    if (replacing) await rename(dir, previous);
    try {
      await rename(staging, dir);
    } catch (error) {
      if (replacing) await rename(previous, dir);
      throw error;
    }
    if (replacing) await rm(previous, { recursive: true, force: true });
    return { dir, files, bytes };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    await removeCreated(dirname(dir), createdParent);
    if (error instanceof KnowledgeError) throw error;
    throw failure(name, describe(error), error);
  }
}
