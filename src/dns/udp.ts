import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import type { Responder } from "./message.js";
import type { DnsObserver } from "./observer.js";

/** DNS over UDP: one datagram in, at most one out, answered synchronously from the view. */
export async function listenUdp(respond: Responder, host: string, port: number, observer?: DnsObserver): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: isIPv6(host) ? "udp6" : "udp4" });
  socket.on("message", (query, peer) => {
    const answer = respond(query, "udp");
    if (!answer) return;
    observer?.answered("udp", answer);
    socket.send(answer.bytes, peer.port, peer.address);
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
