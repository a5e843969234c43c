#!/usr/bin/env node
// Runs the TypeScript sources directly: ts-node with the swc transpiler starts in well under a second and
// needs no build step, so a fresh clone works right after `npm ci`. Type-checking happens in `npm test`.
const path = require('path');
require('ts-node').register({
  project: path.join(__dirname, '..', 'tsconfig.json'),
  transpileOnly: true,
  swc: true,
});
require('../cli/main').main(process.argv.slice(2));
