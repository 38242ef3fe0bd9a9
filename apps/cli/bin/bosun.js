#!/usr/bin/env node
// The `bosun` command (npx bosun …); built from apps/cli/src by `npm run build`.
require('../dist/main.js');
