// Where the end-to-end harness finds the platform and leaves its artefacts, relative to the repository root.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root: this file is web/e2e/harness/paths.mjs. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The `tweeling` executable as `dotnet build -c Release` of the server (or of the solution) leaves it. */
export const serverDll = path.join(repositoryRoot, 'src', 'Tweeling.Server', 'bin', 'Release', 'net10.0', 'tweeling.dll');

/** Screenshots of every tested state, the server's log and benchmark output; git-ignored (TestResults/). */
export const artefactsDirectory = path.join(repositoryRoot, 'TestResults', 'e2e');

/** The built web UI (npm run build in web/), which the server finds by walking up from its executable. */
export const webDist = path.join(repositoryRoot, 'web', 'dist');
