import type { DiscoveryView } from "../view/discovery-view.js";
import { AnswerCache } from "./answer-cache.js";
import { reply, type Responder } from "./message.js";
import type { DnsObserver } from "./observer.js";
import { ResponseRateLimiter } from "./rate-limit.js";
import { listenTcp, type TcpLimits } from "./tcp.js";
import { listenUdp } from "./udp.js";

export interface DnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  host: string;
  port: number;
  tcp: TcpLimits;
  /** UDP answers per second per client prefix (see rate-limit.ts); 0 turns rate limiting off. */
  rateLimit: number;
}

/**
 * The authoritative DNS server for every DNS namespace, on one port over UDP and TCP. Both listeners bind
 * before the server counts as started, so a port taken for either protocol fails the start.
 */
export async function startDnsServer(view: DiscoveryView, options: DnsServerOptions, observer?: DnsObserver): Promise<DnsServer> {
  const cache = new AnswerCache(view);
  const respond: Responder = (query, transport) => cache.answer(query, transport, () => reply(view, query, transport));
  const limiter = options.rateLimit > 0 ? new ResponseRateLimiter(options.rateLimit) : undefined;
  const udp = await listenUdp(respond, options.host, options.port, limiter, observer);
  const tcp = await listenTcp(respond, options.host, udp.address().port, options.tcp, observer).catch((error: unknown) => {
    udp.close();
    throw error;
  });
  return {
    host: tcp.address.address,
    port: tcp.address.port,
    async close() {
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), tcp.close()]);
    },
  };
}
