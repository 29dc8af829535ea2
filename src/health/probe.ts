/**
 * One Route 53-style health check of one endpoint:
 * - TCP: healthy when a connection is established;
 * - HTTP / HTTPS: healthy when a GET of the resource path answers with a status from 200 to 399. HTTPS does
 *   not verify the certificate (Route 53 does not either: endpoints often use self-signed certificates).
 * Every check ends within `timeoutMs`, failing when it has not succeeded by then.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";

export type CheckType = "HTTP" | "HTTPS" | "TCP";

export interface ProbeTarget {
  type: CheckType;
  address: string;
  port: number;
  /** For HTTP and HTTPS; defaults to "/". */
  path?: string;
}

export interface ProbeResult {
  healthy: boolean;
  /** What was seen, for logs: "HTTP 200", "ECONNREFUSED", "timed out after 2000 ms". */
  detail: string;
}

export function describeTarget(t: ProbeTarget): string {
  const host = net.isIPv6(t.address) ? `[${t.address}]` : t.address;
  return t.type === "TCP" ? `tcp://${host}:${t.port}` : `${t.type.toLowerCase()}://${host}:${t.port}${t.path ?? "/"}`;
}

export function probe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  return target.type === "TCP" ? probeTcp(target, timeoutMs) : probeHttp(target, timeoutMs);
}

const failure = (error: unknown): ProbeResult => ({
  healthy: false,
  detail: (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error)),
});

function probeTcp(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.address, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ healthy: false, detail: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ healthy: true, detail: "connected" });
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      resolve(failure(error));
    });
  });
}

function probeHttp(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const options = { host: target.address, port: target.port, path: target.path ?? "/", method: "GET", agent: false as const };
    const request =
      target.type === "HTTPS"
        ? https.request({ ...options, rejectUnauthorized: false, headers: { "user-agent": "Cairn-Health-Check" } })
        : http.request({ ...options, headers: { "user-agent": "Cairn-Health-Check" } });
    let settled = false;
    const settle = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ healthy: false, detail: `timed out after ${timeoutMs} ms` }), timeoutMs);
    request.once("response", (response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      settle({ healthy: status >= 200 && status < 400, detail: `HTTP ${status}` });
    });
    request.once("error", (error) => settle(failure(error)));
    request.end();
  });
}
