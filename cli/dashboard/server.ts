/**
 * The dashboard on this machine: a plain Node HTTP server on 127.0.0.1 only (never another
 * interface: the person at the machine is the operator, access.ts's local mode), translating to
 * functions/dashboard's plain request. `/` redirects to the dashboard's base.
 *
 * Only requests naming this server in their Host header (127.0.0.1 or localhost, this port) are
 * answered: a web page whose own name an attacker points at 127.0.0.1 (DNS rebinding) is then
 * same-origin with itself, not with the dashboard, and would otherwise read every tenant's pages
 * and pass the CSRF check (its Origin matches its Host).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DashboardDeps } from "../../functions/dashboard/deps.js";
import { DASHBOARD_BASE, handleDashboardRequest } from "../../functions/dashboard/handle.js";
import { errorMessage } from "../../lib/errors/text.js";

const LOOPBACK = "127.0.0.1";
const MAX_BODY = 64 * 1024;

/** The Host header values of this server (any other is a rebound name or a misdirected request). */
const ownHosts = (port: number): ReadonlySet<string> => new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);

export interface RunningDashboard {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function startDashboardServer(
  deps: DashboardDeps,
  options: { port?: number; onError?: (message: string) => void } = {},
): Promise<RunningDashboard> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const host = (req.headers.host ?? "").toLowerCase();
        if (!ownHosts((server.address() as AddressInfo).port).has(host)) {
          res
            .writeHead(421, { "content-type": "text/plain; charset=utf-8" })
            .end("this dashboard answers only at http://127.0.0.1 (or localhost) on its port\n");
          return;
        }
        const url = new URL(req.url ?? "/", `http://${LOOPBACK}`);
        if (url.pathname === "/favicon.ico") {
          res.writeHead(204).end();
          return;
        }
        if (url.pathname === "/" || url.pathname === DASHBOARD_BASE) {
          res.writeHead(302, { location: `${DASHBOARD_BASE}/` }).end();
          return;
        }
        if (!url.pathname.startsWith(`${DASHBOARD_BASE}/`)) {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: the dashboard is at /api/dashboard/\n");
          return;
        }
        const body = req.method === "POST" ? await bodyOf(req) : undefined;
        if (body === null) {
          res.writeHead(413, { "content-type": "text/plain; charset=utf-8" }).end("request body too large\n");
          return;
        }
        const r = await handleDashboardRequest(
          {
            method: req.method ?? "GET",
            path: url.pathname.slice(DASHBOARD_BASE.length + 1),
            query: url.searchParams,
            header: (n) => {
              const v = req.headers[n.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
            },
            origin: `http://${host}`,
            ...(body !== undefined ? { body } : {}),
          },
          deps,
        );
        res.writeHead(r.status, r.headers).end(r.body);
      } catch (error) {
        options.onError?.(`dashboard: ${req.method ?? "?"} ${req.url ?? "?"} failed: ${errorMessage(error)}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end("internal error: see the dashboard's terminal\n");
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}${DASHBOARD_BASE}/`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
