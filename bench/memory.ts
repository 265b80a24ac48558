/**
 * Samples this process's memory once a second: the peaks of RSS, V8 heap (used and reserved) and
 * off-heap memory, so a high RSS can be told apart as live JavaScript data, a heap V8 has not
 * collected yet, or buffers. The authoritative peak RSS is the kernel's high-water mark (between
 * samples too): VmHWM in /proc/self/status on Linux. Not `process.resourceUsage().maxRSS`: Linux
 * carries ru_maxrss across fork and exec, so a child spawned by a big process starts out "peaking"
 * at its parent's size; VmHWM belongs to this program's own address space.
 */
import { readFileSync } from "node:fs";
interface MemoryPeaks {
  readonly peakRssMB: number;
  /** The peak when sampling began: loading the modules (tsx compiling them, the Azure SDKs). */
  readonly peakRssAtStartMB: number;
  readonly sampledPeakRssMB: number;
  readonly peakHeapUsedMB: number;
  readonly peakHeapTotalMB: number;
  readonly peakExternalMB: number;
  readonly peakArrayBuffersMB: number;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** This process's peak RSS in MB: VmHWM where there is /proc, ru_maxrss elsewhere. */
export function peakRssMB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** `log`: called with a line per sample (what the process is doing, from `phase`), for a timeline. */
export function sampleMemory(intervalMs = 1_000, log?: (line: string) => void): { peaks(): MemoryPeaks; phase(name: string): void; stop(): void } {
  const started = Date.now();
  let phase = "start";
  let rss = 0;
  let heapUsed = 0;
  let heapTotal = 0;
  let external = 0;
  let arrayBuffers = 0;
  const atStart = peakRssMB();
  const sample = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heapUsed = Math.max(heapUsed, m.heapUsed);
    heapTotal = Math.max(heapTotal, m.heapTotal);
    external = Math.max(external, m.external);
    arrayBuffers = Math.max(arrayBuffers, m.arrayBuffers);
    log?.(
      `memory t=${Math.round((Date.now() - started) / 1000)}s ${phase}: rss ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} / ` +
        `total ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, peak ${peakRssMB()} MB`,
    );
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peaks: () => {
      sample();
      return {
        peakRssMB: peakRssMB(),
        peakRssAtStartMB: atStart,
        sampledPeakRssMB: mb(rss),
        peakHeapUsedMB: mb(heapUsed),
        peakHeapTotalMB: mb(heapTotal),
        peakExternalMB: mb(external),
        peakArrayBuffersMB: mb(arrayBuffers),
      };
    },
    phase: (name: string) => {
      phase = name;
      sample();
    },
    stop: () => clearInterval(timer),
  };
}
