import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface PrivateCa {
  dir: string;
  /** PEM of the CA certificate clients must trust. */
  caPem: Buffer;
  certFile: string;
  keyFile: string;
}

/**
 * A private CA and a server certificate it signed for `localhost` and 127.0.0.1, made with the openssl
 * command as an operator would (RSA, so that TLS 1.2 negotiates an ECDHE-RSA suite).
 */
export function makePrivateCa(): PrivateCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-ca-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Cairn Test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  fs.writeFileSync(file("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
  return { dir, caPem: fs.readFileSync(file("ca.crt")), certFile: file("server.crt"), keyFile: file("server.key") };
}
