'use strict';
// The bench scripts' command line: `--key value` pairs, and `--flag` alone for true.

/** `['--a', '1', '--b']` → `{ a: '1', b: true }` (words not after a `--key` are ignored). */
function parseFlags(argv = process.argv.slice(2)) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const k = argv[i].slice(2);
    a[k] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
  }
  return a;
}

module.exports = { parseFlags };
