/** Whether a process of the demo (Azurite, the simulator, a worker) is still there, for the e2e tests. */

/** Signal 0 checks the process exists without touching it. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process may take a moment to be reaped after its parent saw it exit: up to 5 s. */
export async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}
