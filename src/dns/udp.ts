import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import { slipped, type Responder } from "./message.js";
import type { DnsObserver } from "./observer.js";
import type { ResponseRateLimiter } from "./rate-limit.js";

/**
 * DNS over UDP: one datagram in, at most one out, answered synchronously from the view. With a rate limiter,
 * answers over a client prefix's rate are sent empty with TC=1 or dropped (see rate-limit.ts).
 */
export async function listenUdp(
  respond: Responder,
  host: string,
  port: number,
  limiter: ResponseRateLimiter | undefined,
  observer?: DnsObserver,
): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: isIPv6(host) ? "udp6" : "udp4" });
  socket.on("message", (query, peer) => {
    const answer = respond(query, "udp");
    if (!answer) return;
    const verdict = limiter ? limiter.verdict(peer.address) : "answer";
    if (verdict === "answer") {
      observer?.answered("udp", answer);
      socket.send(answer.bytes, peer.port, peer.address);
      return;
    }
    observer?.rateLimited(verdict);
    const empty = verdict === "slip" ? slipped(query) : undefined;
    if (empty) socket.send(empty, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, host, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  // A failed send (e.g. an unreachable peer) concerns one datagram, never the listener.
  socket.on("error", () => {});
  return socket;
}
