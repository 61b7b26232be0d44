/**
 * `lotse import dldb --services FILE [--locations FILE] [--publisher NAME] [--licence ID]`:
 * imports another catalogue into the data directory. Bad records are listed and skipped; the
 * import fails only when nothing usable is left.
 */
import { parseArgs } from 'node:util';
import { importDldbFiles, saveCatalogue, toCatalogue } from '../../knowledge/catalogue.js';
import { formatProblem } from '../../knowledge/importers/problem.js';
import { EXIT, UsageError, type Io } from './io.js';
import { required } from './args.js';

export function importCommand(args: string[], dataDir: string, io: Io): number {
  const [format, ...rest] = args;
  if (format !== 'dldb')
    throw new UsageError(
      `unknown catalogue format ${JSON.stringify(format ?? '')}; supported: dldb`,
    );
  const { values } = parseArgs({
    args: rest,
    options: {
      services: { type: 'string' },
      locations: { type: 'string' },
      publisher: { type: 'string', default: 'unknown publisher' },
      licence: { type: 'string', default: 'see source' },
    },
  });
  const servicesFile = required('--services', values.services);
  const result = importDldbFiles({
    servicesFile,
    ...(values.locations ? { locationsFile: values.locations } : {}),
    publisher: values.publisher,
    licence: values.licence,
  });
  for (const p of result.problems) io.err(formatProblem(p));
  if (!result.services.length) {
    io.err(
      `lotse import: no usable service in ${servicesFile}; the data directory was not changed`,
    );
    return EXIT.failure;
  }
  const file = saveCatalogue(dataDir, toCatalogue(result.services, `dldb:${servicesFile}`));
  const searchable = result.services.filter((s) => s.searchable).length;
  const skipped = new Set(
    result.problems.filter((p) => p.action === 'skipped').map((p) => `${p.file}#${p.record}`),
  ).size;
  io.out(
    `Imported ${result.services.length} service${result.services.length === 1 ? '' : 's'} (${searchable} searchable) into ${file}; ${skipped} records skipped.`,
  );
  return EXIT.ok;
}
