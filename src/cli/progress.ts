/**
 * A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise
 * (so logs and CI stay readable). Returns a function to call with the number done.
 */
export function progressBar(label: string, total: number, write: (text: string) => void, isTTY = Boolean(process.stderr.isTTY)): (done: number, note?: string) => void {
  const start = Date.now();
  let lastDecile = -1;
  return (done: number, note = '') => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const secs = (Date.now() - start) / 1000;
    const eta = done > 0 ? (secs / done) * (total - done) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs.toFixed(1)}s${done < total ? ` eta ${eta.toFixed(0)}s` : ''}${note ? ` ${note}` : ''}`;
    if (isTTY) {
      write(`\r${line}${done >= total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile !== lastDecile || done >= total) {
      lastDecile = decile;
      write(`${line}\n`);
    }
  };
}
