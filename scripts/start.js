#!/usr/bin/env node
// `npm start`: runs the TypeScript sources directly through SWC (no build step), so a
// fresh clone is up in seconds. Production images run the compiled `dist/` instead.
require('@swc-node/register');
require('../src/main.ts');
