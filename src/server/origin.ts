import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { CallOrigin } from "../audit/record.js";

function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "";
  // Node reports IPv4 clients of a dual-stack socket as IPv4-mapped IPv6; CloudTrail shows the plain IPv4.
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** Who is on the other end of the connection, for the response and the CloudTrail record. */
export function requestOrigin(req: IncomingMessage): CallOrigin {
  const userAgent = req.headers["user-agent"];
  const socket = req.socket as Partial<TLSSocket>;
  const origin: CallOrigin = { requestId: randomUUID(), sourceIp: clientAddress(req) };
  if (userAgent !== undefined) origin.userAgent = userAgent;
  if (socket.encrypted && socket.getProtocol && socket.getCipher) {
    origin.tls = {
      tlsVersion: socket.getProtocol() ?? "",
      cipherSuite: socket.getCipher().standardName,
      clientProvidedHostHeader: req.headers.host ?? "",
    };
  }
  return origin;
}
