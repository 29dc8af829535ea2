import dgram from "node:dgram";
import { execFile } from "node:child_process";
import net from "node:net";
import { Resolver } from "node:dns/promises";
import * as packet from "dns-packet";
import type { DecodedPacket, Packet } from "dns-packet";
import { onFreeDnsPort } from "../../src/embed/free-port.js";
import { startCairn, type CairnProcess, type SpawnedCairn, type SpawnOptions, type StartOptions } from "./cairn-process.js";

/** A decoded response; dns-packet's types leave out the response code it decodes. */
export type DnsResponse = DecodedPacket & { rcode: string };

/** Starts Cairn (see startCairn) with DNS on a free port (`--dns-port 0` turns DNS off, so tests pick one). */
export function startCairnWithDns(options: SpawnOptions): Promise<SpawnedCairn & { dnsPort: number }>;
export function startCairnWithDns(options?: StartOptions | SpawnOptions): Promise<CairnProcess & { dnsPort: number }>;
export function startCairnWithDns(options: StartOptions | SpawnOptions = {}): Promise<CairnProcess & { dnsPort: number }> {
  return onFreeDnsPort(async (port) => {
    const cairn = await startCairn({ ...options, args: ["--dns-port", String(port), ...(options.args ?? [])] });
    if (cairn.dnsPort !== port) throw new Error(`expected DNS on ${port}:\n${cairn.output()}`);
    return cairn as CairnProcess & { dnsPort: number };
  });
}

/** Node's stub resolver, asking only Cairn. */
export function resolverFor(port: number): Resolver {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return resolver;
}

/** One raw query over UDP, decoded (for what Resolver hides: rcodes, flags, authority, OPT). */
export async function queryUdp(port: number, query: Packet): Promise<DnsResponse> {
  const socket = dgram.createSocket("udp4");
  try {
    return await new Promise<DnsResponse>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no DNS answer over UDP")), 3000);
      socket.once("message", (msg) => {
        clearTimeout(timer);
        resolve(packet.decode(msg) as DnsResponse);
      });
      socket.send(packet.encode({ id: 4242, type: "query", ...query }), port, "127.0.0.1");
    });
  } finally {
    socket.close();
  }
}

/** One raw query over TCP (two-byte length prefix), decoded. */
export async function queryTcp(port: number, query: Packet): Promise<DnsResponse> {
  const socket = net.connect(port, "127.0.0.1");
  try {
    return await new Promise<DnsResponse>((resolve, reject) => {
      let data = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) resolve(packet.decode(data.subarray(2, 2 + data.readUInt16BE(0))) as DnsResponse);
      });
      socket.once("error", reject);
      socket.write(packet.streamEncode({ id: 4343, type: "query", ...query }));
    });
  } finally {
    socket.destroy();
  }
}

export const question = (name: string, type: NonNullable<Packet["questions"]>[number]["type"]): Packet => ({ questions: [{ name, type }] });

/** An EDNS0 query asking for answers up to `size` bytes over UDP. */
export const ednsQuestion = (name: string, type: NonNullable<Packet["questions"]>[number]["type"], size: number): Packet => ({
  questions: [{ name, type }],
  additionals: [{ name: ".", type: "OPT", udpPayloadSize: size, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
});

/** Polls `check` until it returns true or `timeoutMs` passes (health and view changes are asynchronous). */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs the real `dig`; undefined when dig is not installed. */
export function dig(port: number, args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile("dig", ["@127.0.0.1", "-p", String(port), "+time=2", "+tries=1", ...args], (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") resolve(undefined);
      else if (error && !stdout) reject(error);
      else resolve(stdout);
    });
  });
}
