// Worker-thread entry of data-parallel training. Worker threads do not inherit the main thread's require hooks,
// so this registers ts-node (transpile-only with swc, as bin/neuromap.js does) before loading the TypeScript.
const path = require('path');
require('ts-node').register({
  project: path.join(__dirname, '..', '..', 'tsconfig.json'),
  transpileOnly: true,
  swc: true,
});
require('./worker-main').serve();
