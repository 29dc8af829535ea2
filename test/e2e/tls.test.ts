import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import https from "node:https";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateHttpNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { uniqueName } from "../support/cloudmap.js";
import { recordOf } from "../support/cloudtrail.js";
import { makePrivateCa, type PrivateCa } from "../support/private-ca.js";

let ca: PrivateCa;
let cairn: CairnProcess;
/** The endpoint by host name, as the certificate names it. */
let endpoint: string;

/** SDK clients that trust the private CA, as the README shows (a custom https agent). */
function clients(agentOptions: https.AgentOptions = {}) {
  const requestHandler = new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: ca.caPem, ...agentOptions }) });
  const common = { endpoint, region: "us-east-1", credentials: cairn.credentials, maxAttempts: 1, requestHandler };
  return { sd: new ServiceDiscoveryClient({ ...common, disableHostPrefix: true }), ct: new CloudTrailClient(common) };
}

async function recordOfRequest(ct: CloudTrailClient, requestId: string) {
  const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateHttpNamespace" }] }));
  const record = page.Events?.map(recordOf).find((r) => r.requestID === requestId);
  assert.ok(record, `the record of ${requestId}`);
  return record;
}

before(async () => {
  ca = makePrivateCa();
  cairn = await startCairn({ args: ["--tls-cert", ca.certFile], env: { CAIRN_TLS_KEY: ca.keyFile } });
  endpoint = cairn.url.replace("127.0.0.1", "localhost");
});
after(async () => {
  await cairn.stop();
  fs.rmSync(ca.dir, { recursive: true, force: true });
});

describe("HTTPS with --tls-cert / --tls-key", () => {
  test("the listening line says https and the API answers over TLS 1.3, recorded with tlsDetails", async () => {
    assert.match(cairn.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const { sd, ct } = clients();
    const created = await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("tls") }));
    const record = await recordOfRequest(ct, created.$metadata.requestId!);
    const tls = record.tlsDetails as Record<string, string>;
    assert.deepEqual(Object.keys(tls), ["tlsVersion", "cipherSuite", "clientProvidedHostHeader"]);
    assert.equal(tls.tlsVersion, "TLSv1.3");
    assert.match(tls.cipherSuite!, /^TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$/);
    assert.equal(tls.clientProvidedHostHeader, `localhost:${cairn.port}`);
    const keys = Object.keys(record);
    assert.equal(keys.indexOf("tlsDetails"), keys.indexOf("eventCategory") + 1, "tlsDetails follows eventCategory, as in AWS's records");
  });

  test("a TLS 1.2 client's record names the suite as CloudTrail does (OpenSSL's name)", async () => {
    const { sd } = clients({ maxVersion: "TLSv1.2", ciphers: "ECDHE-RSA-AES128-GCM-SHA256" });
    const created = await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("tls12") }));
    const record = await recordOfRequest(clients().ct, created.$metadata.requestId!);
    assert.deepEqual(record.tlsDetails, { tlsVersion: "TLSv1.2", cipherSuite: "ECDHE-RSA-AES128-GCM-SHA256", clientProvidedHostHeader: `localhost:${cairn.port}` });
  });

  test("a client that does not trust the CA is refused by its own TLS check", async () => {
    const requestHandler = new NodeHttpHandler({ httpsAgent: new https.Agent({}) });
    const untrusting = new ServiceDiscoveryClient({ endpoint, region: "us-east-1", credentials: cairn.credentials, maxAttempts: 1, requestHandler });
    await assert.rejects(untrusting.send(new ListNamespacesCommand({})), (error: Error & { code?: string }) => {
      assert.match(String(error.code ?? error.message), /SELF_SIGNED|UNABLE_TO_VERIFY|self.signed|unable to verify/i);
      return true;
    });
  });

  test("/_cairn/health and /_cairn/metrics are served over HTTPS too", async () => {
    for (const path of ["/_cairn/health", "/_cairn/metrics"]) {
      const status = await new Promise<number>((resolve, reject) => {
        https.get(`${endpoint}${path}`, { ca: ca.caPem }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on("error", reject);
      });
      assert.equal(status, 200, path);
    }
  });
});
