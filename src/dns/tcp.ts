import net from "node:net";
import type { Responder } from "./message.js";
import type { DnsObserver } from "./observer.js";

export interface TcpListener {
  address: net.AddressInfo;
  close(): Promise<void>;
}

/** Connections idle this long are closed (RFC 7766 suggests seconds, not minutes). */
const IDLE_MS = 10_000;

/**
 * DNS over TCP (RFC 7766): each message is preceded by its two-byte length; a connection may carry many
 * queries, pipelined, and answers go back in order. Answers are never truncated here.
 */
export async function listenTcp(respond: Responder, host: string, port: number, observer?: DnsObserver): Promise<TcpListener> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    let pending: Buffer = Buffer.alloc(0);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const query = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        const answer = respond(query, "tcp");
        if (!answer) continue;
        observer?.answered("tcp", answer);
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(answer.bytes.length);
        socket.write(Buffer.concat([prefix, answer.bytes]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    address: server.address() as net.AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle client connections would otherwise hold close() open until their timeout.
        for (const socket of open) socket.destroy();
      }),
  };
}
