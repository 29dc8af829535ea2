import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { CallOrigin } from "../audit/record.js";
import { NO_TRUSTED_PROXIES, clientAddress, type TrustedProxies } from "./trusted-proxies.js";

/**
 * Who is on the other end of the connection, for the response and the CloudTrail record. The socket's address
 * (IPv4-mapped IPv6 shown as plain IPv4, as CloudTrail does), or X-Forwarded-For's when a trusted proxy sent it.
 */
export function requestOrigin(req: IncomingMessage, trusted: TrustedProxies = NO_TRUSTED_PROXIES): CallOrigin {
  const userAgent = req.headers["user-agent"];
  const socket = req.socket as Partial<TLSSocket>;
  const sourceIp = clientAddress(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"], trusted);
  const origin: CallOrigin = { requestId: randomUUID(), sourceIp };
  if (userAgent !== undefined) origin.userAgent = userAgent;
  if (socket.encrypted && socket.getProtocol && socket.getCipher) {
    origin.tls = {
      tlsVersion: socket.getProtocol() ?? "",
      // OpenSSL's name, as CloudTrail shows it: TLS_AES_128_GCM_SHA256 (TLS 1.3), ECDHE-RSA-AES128-GCM-SHA256 (TLS 1.2).
      cipherSuite: socket.getCipher().name,
      clientProvidedHostHeader: req.headers.host ?? "",
    };
  }
  return origin;
}
