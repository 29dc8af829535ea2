import net from "node:net";
import type { Responder } from "./message.js";
import type { DnsObserver } from "./observer.js";

export interface TcpListener {
  address: net.AddressInfo;
  close(): Promise<void>;
}

export interface TcpLimits {
  /** A connection that neither sends nor takes anything for this long is closed (RFC 7766 §6.2.3: seconds). */
  idleMs: number;
  /** Connections open at once; one more is closed as soon as it is accepted. */
  maxConnections: number;
}

/** Answers handed to the socket but not yet to the kernel, per connection, past which Cairn stops reading it. */
const MAX_UNFLUSHED_ANSWERS = 64;

/**
 * DNS over TCP (RFC 7766): each message is preceded by its two-byte length; a connection may carry many
 * queries, pipelined, and answers go back in order. Answers are never truncated here.
 *
 * A client that sends faster than it reads is pushed back: while its answers are not drained (the socket's
 * buffer is full, or MAX_UNFLUSHED_ANSWERS are waiting) Cairn stops reading, so the queries wait in the kernel
 * and the client's own buffers, never in Cairn's memory. A client that stalls so is idle, and closed.
 */
export async function listenTcp(respond: Responder, host: string, port: number, limits: TcpLimits, observer?: DnsObserver): Promise<TcpListener> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(limits.idleMs, () => {
      observer?.tcpClosed("idle");
      socket.destroy();
    });
    let pending: Buffer = Buffer.alloc(0);
    let unflushed = 0;
    const blocked = (): boolean => socket.writableNeedDrain || unflushed >= MAX_UNFLUSHED_ANSWERS;
    const flushed = (): void => {
      unflushed--;
      if (socket.isPaused()) work();
    };
    // Answers every whole query received, as long as the client takes the answers; then reads again.
    const work = (): void => {
      if (socket.destroyed) return;
      while (pending.length >= 2 && !blocked()) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const query = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        const answer = respond(query, "tcp");
        if (!answer) continue;
        observer?.answered("tcp", answer);
        const message = Buffer.allocUnsafe(2 + answer.bytes.length);
        message.writeUInt16BE(answer.bytes.length);
        answer.bytes.copy(message, 2);
        unflushed++;
        socket.write(message, flushed);
      }
      if (blocked()) socket.pause();
      else socket.resume();
    };
    socket.on("drain", work);
    socket.on("data", (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      work();
    });
  });
  server.maxConnections = limits.maxConnections;
  server.on("drop", () => observer?.tcpClosed("limit"));
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
