import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateHttpNamespaceCommand, CreateServiceCommand, RegisterInstanceCommand } from "@aws-sdk/client-servicediscovery";
import { DeleteAccessKeyCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { signedCairnCall } from "../support/cairn-endpoints.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId } from "../support/cloudmap.js";
import { allow, iam, sts, userWithPolicy } from "../support/identity.js";
import { assertHttpSdBody } from "../support/prometheus.js";
import { send } from "../support/raw.js";

describe("Prometheus HTTP service discovery", () => {
  let cairn: CairnProcess;
  let prometheusKey: Credentials;
  let token: string;
  const sd = (query: string, authorization?: string) =>
    send({ url: `${cairn.url}/_cairn/prometheus/sd?${query}`, method: "GET", headers: authorization ? { authorization } : {}, body: "" });
  const issue = async (credentials: Credentials | undefined) => signedCairnCall(cairn.url, credentials, "POST", "/_cairn/prometheus/token", { service: "servicediscovery" });

  before(async () => {
    cairn = await startCairn();
    const client = cloudMap(cairn);
    const shop = await createdNamespaceId(client, new CreateHttpNamespaceCommand({ Name: "shop" }));
    await createdNamespaceId(client, new CreateHttpNamespaceCommand({ Name: "other" }));
    const web = (await client.send(new CreateServiceCommand({ Name: "web", NamespaceId: shop }))).Service!.Id!;
    const worker = (await client.send(new CreateServiceCommand({ Name: "worker", NamespaceId: shop, HealthCheckCustomConfig: { FailureThreshold: 1 } }))).Service!.Id!;
    await client.send(new RegisterInstanceCommand({ ServiceId: web, InstanceId: "web-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", AWS_INSTANCE_PORT: "8080", "az-name": "a" } }));
    await client.send(new RegisterInstanceCommand({ ServiceId: web, InstanceId: "web-2", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.2" } }));
    await client.send(new RegisterInstanceCommand({ ServiceId: web, InstanceId: "no-address", Attributes: { role: "batch" } }));
    await client.send(new RegisterInstanceCommand({ ServiceId: worker, InstanceId: "w-1", Attributes: { AWS_INSTANCE_IPV6: "fd00::1", AWS_INSTANCE_PORT: "9100" } }));
    prometheusKey = await userWithPolicy(cairn, "prometheus", allow("servicediscovery:DiscoverInstances", "*", { StringEquals: { "servicediscovery:NamespaceName": "shop" } }));
    const issued = await issue(prometheusKey);
    assert.equal(issued.status, 200, issued.body);
    token = String(issued.json().token);
  });
  after(async () => {
    await cairn?.stop();
  });

  test("a namespace's instances, in Prometheus' http_sd format, with Cloud Map labels", async () => {
    const answer = await sd("namespace=shop", `Bearer ${token}`);
    assert.equal(answer.status, 200, answer.body);
    assert.match(String(answer.headers["content-type"]), /^application\/json/);
    const body: unknown = JSON.parse(answer.body);
    assertHttpSdBody(body);
    assert.deepEqual(body, [
      {
        targets: ["10.0.0.1:8080"],
        labels: {
          __meta_cloudmap_attribute_AWS_INSTANCE_IPV4: "10.0.0.1",
          __meta_cloudmap_attribute_AWS_INSTANCE_PORT: "8080",
          __meta_cloudmap_attribute_az_name: "a",
          __meta_cloudmap_namespace: "shop",
          __meta_cloudmap_service: "web",
          __meta_cloudmap_instance_id: "web-1",
          __meta_cloudmap_health: "UNKNOWN",
        },
      },
      {
        targets: ["10.0.0.2"],
        labels: {
          __meta_cloudmap_attribute_AWS_INSTANCE_IPV4: "10.0.0.2",
          __meta_cloudmap_namespace: "shop",
          __meta_cloudmap_service: "web",
          __meta_cloudmap_instance_id: "web-2",
          __meta_cloudmap_health: "UNKNOWN",
        },
      },
      {
        targets: ["[fd00::1]:9100"],
        labels: {
          __meta_cloudmap_attribute_AWS_INSTANCE_IPV6: "fd00::1",
          __meta_cloudmap_attribute_AWS_INSTANCE_PORT: "9100",
          __meta_cloudmap_namespace: "shop",
          __meta_cloudmap_service: "worker",
          __meta_cloudmap_instance_id: "w-1",
          __meta_cloudmap_health: "HEALTHY",
        },
      },
    ]);
    const one = JSON.parse((await sd("namespace=shop&service=worker", `Bearer ${token}`)).body) as Array<{ targets: string[] }>;
    assert.deepEqual(one.map((g) => g.targets[0]), ["[fd00::1]:9100"]);
  });

  test("is refused without the right bearer token, and answers only what DiscoverInstances allows", async () => {
    const [prefix, keyId, mac] = token.split(".");
    const tampered = `${prefix}.${keyId}.${mac!.slice(0, -2)}${mac!.endsWith("AA") ? "BB" : "AA"}`;
    const cases: Array<[string, string | undefined, string]> = [
      ["no Authorization", undefined, "MissingAuthenticationTokenException"],
      ["another scheme", `Basic ${Buffer.from("a:b").toString("base64")}`, "MissingAuthenticationTokenException"],
      ["a tampered token", `Bearer ${tampered}`, "UnrecognizedClientException"],
      ["the key id alone", `Bearer ${prefix}.${keyId}`, "UnrecognizedClientException"],
      ["the secret key itself", `Bearer ${prometheusKey.secretAccessKey}`, "UnrecognizedClientException"],
      ["another key's id with this mac", `Bearer ${prefix}.${cairn.credentials.accessKeyId}.${mac}`, "UnrecognizedClientException"],
    ];
    for (const [what, authorization, code] of cases) {
      const answer = await sd("namespace=shop", authorization);
      assert.equal(answer.status, 401, what);
      assert.equal(answer.json().__type, code, what);
      assert.equal(answer.headers["www-authenticate"], 'Bearer realm="cairn"', what);
    }
    // The key's owner may discover in shop only: an empty namespace elsewhere is refused too.
    const denied = await sd("namespace=other", `Bearer ${token}`);
    assert.equal(denied.json().__type, "AccessDeniedException", denied.body);
    const unknown = await sd("namespace=nowhere", `Bearer ${token}`);
    assert.equal(unknown.json().__type, "AccessDeniedException", "authorised before an unknown namespace is named");
    assert.equal((await sd("namespace=shop&service=nothing", `Bearer ${token}`)).json().__type, "ServiceNotFound");
    // The root key's token sees an empty namespace as empty, and an unknown one as unknown.
    const rootToken = String((await issue(cairn.credentials)).json().token);
    assert.deepEqual(JSON.parse((await sd("namespace=other", `Bearer ${rootToken}`)).body), []);
    assert.equal((await sd("namespace=nowhere", `Bearer ${rootToken}`)).json().__type, "NamespaceNotFound");
  });

  test("tokens are issued only for a signed long-term key, and die with the key", async () => {
    assert.equal((await issue(undefined)).json().__type, "MissingAuthenticationTokenException");
    const session = (await sts(cairn).send(new GetSessionTokenCommand({}))).Credentials!;
    const temporary = { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! };
    assert.equal((await issue(temporary)).json().__type, "InvalidInput");
    assert.equal((await issue(prometheusKey)).json().token, token, "the same key gets the same token");
    await iam(cairn).send(new UpdateAccessKeyCommand({ UserName: "prometheus", AccessKeyId: prometheusKey.accessKeyId, Status: "Inactive" }));
    assert.equal((await sd("namespace=shop", `Bearer ${token}`)).status, 401, "an inactive key's token is refused");
    await iam(cairn).send(new UpdateAccessKeyCommand({ UserName: "prometheus", AccessKeyId: prometheusKey.accessKeyId, Status: "Active" }));
    assert.equal((await sd("namespace=shop", `Bearer ${token}`)).status, 200);
    await iam(cairn).send(new DeleteAccessKeyCommand({ UserName: "prometheus", AccessKeyId: prometheusKey.accessKeyId }));
    assert.equal((await sd("namespace=shop", `Bearer ${token}`)).json().__type, "UnrecognizedClientException");
  });
});
