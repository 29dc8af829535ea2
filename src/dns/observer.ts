import type { Reply, Transport } from "./message.js";

/**
 * What the DNS server reports, for metrics (queries by type and response code). The server calls it once per
 * answered message; it must be cheap and must not throw.
 */
export interface DnsObserver {
  answered(transport: Transport, reply: Pick<Reply, "qtype" | "rcode" | "truncated">): void;
}
