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

/** Port 0: the port UDP was given may be taken for TCP; another one is drawn this many times in all. */
const FREE_PORT_ATTEMPTS = 10;

/**
 * The authoritative DNS server for every DNS namespace, on one port over UDP and TCP. Both listeners bind
 * before the server counts as started, so a port taken for either protocol fails the start (for port 0, any free
 * port: one free for both is looked for).
 */
export async function startDnsServer(view: DiscoveryView, options: DnsServerOptions, observer?: DnsObserver): Promise<DnsServer> {
  const cache = new AnswerCache(view);
  const respond: Responder = (query, transport) => cache.answer(query, transport, () => reply(view, query, transport));
  const limiter = options.rateLimit > 0 ? new ResponseRateLimiter(options.rateLimit) : undefined;
  const listen = async () => {
    const udp = await listenUdp(respond, options.host, options.port, limiter, observer);
    try {
      return { udp, tcp: await listenTcp(respond, options.host, udp.address().port, options.tcp, observer) };
    } catch (error) {
      udp.close();
      throw error;
    }
  };
  let listening: Awaited<ReturnType<typeof listen>> | undefined;
  for (let attempt = 1; !listening; attempt++) {
    try {
      listening = await listen();
    } catch (error) {
      const taken = (error as { code?: unknown }).code === "EADDRINUSE";
      if (options.port !== 0 || !taken || attempt >= FREE_PORT_ATTEMPTS) throw error;
    }
  }
  const { udp, tcp } = listening;
  return {
    host: tcp.address.address,
    port: tcp.address.port,
    async close() {
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), tcp.close()]);
    },
  };
}
