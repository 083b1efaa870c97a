// Part of `npm run build`: copies the static files the server serves into dist/public/ — ReDoc's
// standalone bundle from the pinned `redoc` dev dependency (a release then needs no ReDoc package).
const fs = require('fs');
const path = require('path');

const out = path.join(__dirname, '..', 'dist', 'public');
fs.mkdirSync(out, { recursive: true });
fs.copyFileSync(
  require.resolve('redoc/bundles/redoc.standalone.js'),
  path.join(out, 'redoc.standalone.js'),
);
