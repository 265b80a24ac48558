/**
 * Starts the installed Azurite (blob, queue, table) on free loopback ports, in memory, and
 * tells callers how to reach it: the demo (`npm run demo`) and the tests' global setup
 * (test/setup/azurite.ts) share it. Node built-ins only; Azurite itself is a devDependency, which
 * is why this lives under cli/demo and nothing in production imports it.
 *
 * Ports: Azurite is asked for port 0 and we read the ports it actually bound from its start-up
 * lines, so there is no window in which another process can take a port we picked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const AZURITE_ACCOUNT = "devstoreaccount1";
/** Azurite's well-known development key (public, documented by Microsoft; not a secret). */
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite {
  /** The Azurite process, so a caller can prove it is gone after stop(). */
  readonly pid: number | undefined;
  readonly blobUrl: string;
  readonly queueUrl: string;
  readonly tableUrl: string;
  /** A full account connection string (what AzureWebJobsStorage holds). */
  readonly connectionString: string;
  stop(): Promise<void>;
}

interface StartAzuriteOptions {
  /** How long to wait for all three services to listen. */
  readonly timeoutMs?: number;
  /** Fixed ports (e.g. to restart on the same address); 0 or absent = any free port. */
  readonly ports?: { readonly blob?: number; readonly queue?: number; readonly table?: number };
}

function azuriteEntry(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("azurite/package.json")), "dist", "src", "azurite.js");
}

function azuriteConnectionString(urls: { blobUrl: string; queueUrl: string; tableUrl: string }): string {
  return (
    [
      "DefaultEndpointsProtocol=http",
      `AccountName=${AZURITE_ACCOUNT}`,
      `AccountKey=${AZURITE_KEY}`,
      `BlobEndpoint=${urls.blobUrl}`,
      `QueueEndpoint=${urls.queueUrl}`,
      `TableEndpoint=${urls.tableUrl}`,
    ].join(";") + ";"
  );
}

export async function startAzurite(options: StartAzuriteOptions = {}): Promise<RunningAzurite> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  // Azurite refuses --location together with --inMemoryPersistence, so give it a scratch cwd
  // instead: nothing it might write lands in the repository.
  const cwd = mkdtempSync(join(tmpdir(), "azurite-"));
  const args = [
    azuriteEntry(),
    "--blobHost",
    "127.0.0.1",
    "--blobPort",
    String(options.ports?.blob ?? 0),
    "--queueHost",
    "127.0.0.1",
    "--queuePort",
    String(options.ports?.queue ?? 0),
    "--tableHost",
    "127.0.0.1",
    "--tablePort",
    String(options.ports?.table ?? 0),
    "--inMemoryPersistence",
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--silent",
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ports: Partial<Record<"Blob" | "Queue" | "Table", number>> = {};

  const cleanup = () => rmSync(cwd, { recursive: true, force: true });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g)) {
          ports[m[1] as "Blob" | "Queue" | "Table"] = Number(m[2]);
        }
        if (ports.Blob && ports.Queue && ports.Table) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  // Keep draining its output so a full pipe can never stall it.
  child.stdout?.resume();
  child.stderr?.resume();

  const urls = {
    blobUrl: `http://127.0.0.1:${ports.Blob}/${AZURITE_ACCOUNT}`,
    queueUrl: `http://127.0.0.1:${ports.Queue}/${AZURITE_ACCOUNT}`,
    tableUrl: `http://127.0.0.1:${ports.Table}/${AZURITE_ACCOUNT}`,
  };
  return { ...urls, pid: child.pid, connectionString: azuriteConnectionString(urls), stop };
}
