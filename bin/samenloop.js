#!/usr/bin/env node
// The `samenloop` command. Runs the compiled CLI (dist/, as in the Docker image) when it is there, and the
// TypeScript source through tsx (a dev dependency) in a checkout.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', 'dist', 'services', 'cli', 'samenloop.js');
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  require('tsx/cjs/api').register();
  require(path.join(__dirname, '..', 'services', 'cli', 'samenloop.ts'));
}
