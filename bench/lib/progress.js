'use strict';
// A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise (CI logs).

class Progress {
  constructor(label, total, enabled = true) {
    this.label = label;
    this.total = Math.max(1, total);
    this.n = 0;
    this.enabled = enabled;
    this.tty = !!process.stderr.isTTY;
    this.last = 0;
    this.lastDecile = -1;
    this.t0 = Date.now();
  }

  tick(k = 1) {
    this.n += k;
    if (!this.enabled) return;
    const now = Date.now();
    if (this.tty) {
      if (now - this.last < 100) return;
      this.last = now;
      process.stderr.write('\r' + this.line());
    } else {
      const decile = Math.floor((10 * this.n) / this.total);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(this.line() + '\n');
      }
    }
  }

  line() {
    const f = Math.min(1, this.n / this.total);
    const width = 30;
    const full = Math.round(f * width);
    const s = ((Date.now() - this.t0) / 1000).toFixed(1);
    return `${this.label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${this.n.toLocaleString('en')}/${this.total.toLocaleString('en')} rows ${s}s`;
  }

  done() {
    if (!this.enabled) return;
    this.n = this.total;
    process.stderr.write((this.tty ? '\r' : '') + this.line() + '\n');
  }
}

module.exports = { Progress };
