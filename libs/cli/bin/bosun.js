#!/usr/bin/env node
// The `bosun` command (npx bosun …); built from libs/cli/src by `npm run build`.
require('../dist/main.js');
