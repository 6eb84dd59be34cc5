#!/usr/bin/env node
'use strict';
// The CLI is compiled by `npm run build` (run by `npm ci` through `prepare`).
require('../dist/cli/main.js').main(process.argv).then((code) => { process.exitCode = code; });
