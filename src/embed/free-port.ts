import dgram from "node:dgram";
import net from "node:net";

/** A port free for both UDP and TCP on `host` right now (`--dns-port 0` turns DNS off, so callers pick one). */
export async function freeDnsPort(host = "127.0.0.1"): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
    const port = await new Promise<number>((resolve) => udp.bind(0, host, () => resolve(udp.address().port)));
    const tcp = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      tcp.once("error", () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (free) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (free) return port;
  }
}

/**
 * Starts something on a free DNS port, trying again (up to three times) when another process took the port
 * between the pick and the start.
 */
export async function onFreeDnsPort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeDnsPort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
    }
  }
}
