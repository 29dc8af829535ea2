/**
 * The ceiling for bench/dns: a bare node:dgram server that answers every datagram with the same answer
 * bytes Cairn sent (hex on the command line), only the query's ID copied in, doing no other work.
 *
 *   node dist/bench/bare-dns-server.js <answer-hex>   → prints "listening <port>"
 */
import dgram from "node:dgram";

const answer = Buffer.from(process.argv[2]!, "hex");
const socket = dgram.createSocket("udp4");
socket.on("message", (query, peer) => {
  const out = Buffer.from(answer);
  query.copy(out, 0, 0, 2);
  socket.send(out, peer.port, peer.address);
});
socket.bind(0, "127.0.0.1", () => process.stdout.write(`listening ${socket.address().port}\n`));
process.on("SIGTERM", () => socket.close(() => process.exit(0)));
