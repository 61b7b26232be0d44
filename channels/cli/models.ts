/**
 * `lotse models pull NAME`: downloads a sentence-embedding model for dense retrieval into the
 * models directory, on a machine with a network. Lotse itself never downloads at run time: point
 * LOTSE_EMBEDDING_MODEL at the pulled directory.
 */
import { pullModel } from '../../knowledge/search/dense/model-pull.js';
import { EXIT, UsageError, type Io } from './io.js';

export async function modelsCommand(args: string[], modelsDir: string, io: Io): Promise<number> {
  const [action, name] = args;
  if (action !== 'pull' || !name) {
    throw new UsageError(
      'models needs an action and a name, e.g. lotse models pull Xenova/multilingual-e5-small',
    );
  }
  const model = await pullModel(name, modelsDir);
  io.out(`Pulled ${name} into ${model.dir}. Set LOTSE_EMBEDDING_MODEL=${model.dir} to use it.`);
  return EXIT.ok;
}
