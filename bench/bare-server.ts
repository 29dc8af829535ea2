/**
 * The ceiling for bench/discover: a bare node:http server that reads each request body and answers the
 * same bytes and headers Cairn answered DiscoverInstances with, doing no other work.
 *
 *   node dist/bench/bare-server.js <response-body-file>   → prints "listening <port>"
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

const body = fs.readFileSync(process.argv[2]!);
const headers = {
  "content-type": "application/x-amz-json-1.1",
  "content-length": String(body.length),
  "x-amzn-requestid": "00000000-0000-4000-8000-000000000000",
};

const server = http.createServer({ keepAlive: true }, (req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { date: new Date().toUTCString(), ...headers });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
