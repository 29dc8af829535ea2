import type { Reply, Transport } from "./message.js";

/**
 * What the DNS server reports, for metrics. The server calls it as things happen; each method must be cheap and
 * must not throw.
 */
export interface DnsObserver {
  /** Once per answered message (queries by type and response code). */
  answered(transport: Transport, reply: Pick<Reply, "qtype" | "rcode" | "truncated">): void;
  /** A UDP answer held back by rate limiting: sent truncated (`slip`) or not at all (`drop`). */
  rateLimited(action: "slip" | "drop"): void;
  /** A TCP connection closed by Cairn: idle past the timeout, or over the connection limit. */
  tcpClosed(reason: "idle" | "limit"): void;
}
