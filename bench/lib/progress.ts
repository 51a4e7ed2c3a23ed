/**
 * A progress bar on a TTY (one line redrawn at most 10 times a second); elsewhere (CI, a
 * pipe) a line every 10 %, so logs stay readable.
 */
export class Progress {
  private doneUnits = 0;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = Date.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly total: number,
    private readonly log: (line: string) => void,
  ) {}

  add(units: number): void {
    this.doneUnits += units;
    const now = Date.now();
    const fraction = Math.min(1, this.doneUnits / this.total);
    if (this.tty) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const rate = this.doneUnits / Math.max(0.001, (now - this.started) / 1000);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${Math.round(rate).toLocaleString('en')} rows/s   `,
      );
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.log(
        `  ${decile * 10}% (${this.doneUnits.toLocaleString('en')} rows, ${((now - this.started) / 1000).toFixed(0)} s)`,
      );
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
