/**
 * A progress bar on stderr, so stdout stays clean for the summary (and for --json). On a TTY it
 * redraws one line in place; anywhere else (CI logs, pipes, tests) it writes a plain line per
 * finished item, which a log keeps readable instead of a smear of carriage returns. Labels name
 * tenants: they are shown with controls and bidi as visible escapes (the bar's own escape
 * sequences are the only ones written).
 */
import { safeText } from "../lib/text/safe.js";

interface ProgressSink {
  write(text: string): void;
  /** Terminal width when stderr is a TTY; undefined otherwise. */
  readonly columns?: number;
}

interface Progress {
  /** One item finished; `label` says which and how it went. */
  tick(label: string): void;
  /** Clears the bar (TTY) so the summary starts on a clean line. */
  done(): void;
}

export function createProgress(total: number, sink: ProgressSink, what = "tenants"): Progress {
  let finished = 0;
  const tty = sink.columns !== undefined;
  const width = Math.max(10, Math.min(30, (sink.columns ?? 80) - 50));
  const draw = (label: string) => {
    const count = `${String(finished).padStart(String(total).length)}/${total}`;
    const filled = total === 0 ? width : Math.round((finished / total) * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    const room = Math.max(0, (sink.columns ?? 80) - width - count.length - what.length - 8);
    const text = label.length > room ? label.slice(0, Math.max(0, room - 1)) + "…" : label;
    sink.write(`\r\x1b[2K[${bar}] ${count} ${what} ${text}`);
  };
  // An empty bar at once, so a slow first tenant does not look like a hang.
  if (tty && total > 0) draw("");
  return {
    tick(raw) {
      const label = safeText(raw);
      finished++;
      if (!tty) {
        sink.write(`[${String(finished).padStart(String(total).length)}/${total}] ${label}\n`);
        return;
      }
      draw(label);
    },
    done() {
      if (tty && total > 0) sink.write("\r\x1b[2K");
    },
  };
}
