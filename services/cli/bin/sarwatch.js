#!/usr/bin/env node
// The installed `sarwatch` command. It exists before the TypeScript is compiled, so npm links it at install time;
// the command itself lives in dist/.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write(
    'sarwatch: not built yet; run `npm run build` (or `npm run local`, which builds first)\n',
  );
  process.exit(1);
}
await import(compiled.href);
