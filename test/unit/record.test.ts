import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildEvent, callResources, type CallOrigin } from "../../src/audit/record.js";
import type { Principal } from "../../src/auth/principal.js";
import { errors as sdErrors } from "../../src/generated/servicediscovery.js";
import type { ApiModel } from "../../src/protocol/model-types.js";
import { noResourceType, type ApiDef, type OperationDef, type ServedOperation } from "../../src/services/operation.js";

const model: ApiModel = {
  metadata: { apiVersion: "2020-01-01", endpointPrefix: "svc", signingName: "svc", protocol: "json", jsonVersion: "1.1", targetPrefix: "Svc", serviceId: "Svc" },
  operations: {
    PutThing: { name: "PutThing", input: "PutThingRequest", output: "PutThingResponse", errors: [] },
    GetThing: { name: "GetThing", input: "GetThingRequest", output: "GetThingResponse", errors: [] },
    Ping: { name: "Ping", errors: [] },
  },
  shapes: {
    PutThingRequest: {
      type: "structure",
      members: { Name: { shape: "String" }, DnsConfig: { shape: "DnsConfig" }, Attributes: { shape: "Attributes" }, When: { shape: "Time" }, Data: { shape: "Blob" } },
    },
    PutThingResponse: { type: "structure", members: { OperationId: { shape: "String" } } },
    GetThingRequest: { type: "structure", members: { Id: { shape: "String" } } },
    GetThingResponse: { type: "structure", members: { Thing: { shape: "String" } } },
    DnsConfig: { type: "structure", members: { DnsRecords: { shape: "DnsRecords" } } },
    DnsRecords: { type: "list", member: { shape: "DnsRecord" } },
    DnsRecord: { type: "structure", members: { Type: { shape: "String" }, TTL: { shape: "Long" } } },
    Attributes: { type: "map", key: { shape: "String" }, value: { shape: "String" } },
    Time: { type: "timestamp" },
    Blob: { type: "blob" },
    String: { type: "string" },
    Long: { type: "long" },
  },
};

const op = (readOnly: boolean): ServedOperation => ({ readOnly, recorded: true, authorize: noResourceType, handle: async () => ({}) });
const api: ApiDef = {
  signingName: "svc",
  model,
  eventSource: "svc.amazonaws.com",
  validationError: sdErrors.InvalidInput,
  operations: { PutThing: op(false), GetThing: op(true), Ping: op(false) },
  unsupported: new Set(),
};
const principal: Principal = { type: "Root", accountId: "210987654321", arn: "arn:aws:iam::210987654321:root", principalId: "210987654321", accessKeyId: "AKIA3EXAMPLEROOTKEYZ" };
const origin: CallOrigin = { requestId: "6f0e8b1a-2c47-4d95-b3a8-91e5d7c4f210", sourceIp: "198.51.100.23", userAgent: "aws-cli/2.22.9" };
const eventTime = new Date("2025-03-04T05:06:07.891Z");

const AWS_ORDER = [
  "eventVersion",
  "userIdentity",
  "eventTime",
  "eventSource",
  "eventName",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "errorMessage",
  "requestParameters",
  "responseElements",
  "requestID",
  "eventID",
  "readOnly",
  "eventType",
  "managementEvent",
  "recipientAccountId",
  "eventCategory",
  "tlsDetails",
];

describe("buildEvent", () => {
  test("a successful write: every field, AWS's order, lower-camel members, map keys verbatim", () => {
    const stored = buildEvent(origin, {
      api,
      operation: "PutThing",
      principal,
      region: "eu-west-1",
      input: {
        Name: "web",
        DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] },
        Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", custom_Key: "v" },
        When: new Date("2023-07-18T16:07:39Z"),
        Data: new Uint8Array([1, 2, 3]),
      },
      output: { OperationId: "op-1" },
      resources: [{ type: "AWS::Svc::Thing", name: "web" }],
      eventTime,
    });
    const r = JSON.parse(stored.record) as Record<string, unknown>;
    assert.deepEqual(Object.keys(r), AWS_ORDER.filter((k) => !["errorCode", "errorMessage", "tlsDetails"].includes(k)));
    assert.equal(r.eventVersion, "1.11");
    assert.deepEqual(r.userIdentity, { type: "Root", principalId: "210987654321", arn: "arn:aws:iam::210987654321:root", accountId: "210987654321", accessKeyId: "AKIA3EXAMPLEROOTKEYZ" });
    assert.equal(r.eventTime, "2025-03-04T05:06:07Z");
    assert.equal(r.eventSource, "svc.amazonaws.com");
    assert.equal(r.eventName, "PutThing");
    assert.equal(r.awsRegion, "eu-west-1");
    assert.equal(r.sourceIPAddress, "198.51.100.23");
    assert.equal(r.userAgent, "aws-cli/2.22.9");
    assert.deepEqual(r.requestParameters, {
      name: "web",
      dnsConfig: { dnsRecords: [{ type: "A", tTL: 60 }] },
      attributes: { AWS_INSTANCE_IPV4: "10.0.0.1", custom_Key: "v" },
      when: "Jul 18, 2023, 4:07:39 PM",
      data: "AQID",
    });
    assert.deepEqual(r.responseElements, { operationId: "op-1" });
    assert.equal(r.requestID, origin.requestId);
    assert.equal(r.eventID, stored.eventId);
    assert.equal(r.readOnly, false);
    assert.equal(r.eventType, "AwsApiCall");
    assert.equal(r.managementEvent, true);
    assert.equal(r.recipientAccountId, "210987654321");
    assert.equal(r.eventCategory, "Management");

    assert.equal(stored.eventTime.toISOString(), "2025-03-04T05:06:07.000Z", "stored at the record's precision");
    assert.equal(stored.accountId, "210987654321");
    assert.equal(stored.region, "eu-west-1");
    assert.equal(stored.eventName, "PutThing");
    assert.equal(stored.eventSource, "svc.amazonaws.com");
    assert.equal(stored.readOnly, false);
    assert.equal(stored.username, "root");
    assert.equal(stored.accessKeyId, "AKIA3EXAMPLEROOTKEYZ");
    assert.equal(stored.errorCode, undefined);
    assert.deepEqual(stored.resources, [{ type: "AWS::Svc::Thing", name: "web" }]);
  });

  test("a read logs no response elements; an empty output or input logs null", () => {
    const read = JSON.parse(
      buildEvent(origin, { api, operation: "GetThing", principal, region: "us-east-1", input: { Id: "x" }, output: { Thing: "t" }, resources: [], eventTime }).record,
    ) as Record<string, unknown>;
    assert.equal(read.readOnly, true);
    assert.equal(read.responseElements, null);
    assert.deepEqual(read.requestParameters, { id: "x" });
    const ping = JSON.parse(buildEvent(origin, { api, operation: "Ping", principal, region: "us-east-1", input: {}, output: {}, resources: [], eventTime }).record) as Record<string, unknown>;
    assert.equal(ping.requestParameters, null);
    assert.equal(ping.responseElements, null);
    const empty = JSON.parse(buildEvent(origin, { api, operation: "PutThing", principal, region: "us-east-1", input: {}, output: {}, resources: [], eventTime }).record) as Record<string, unknown>;
    assert.equal(empty.requestParameters, null);
    assert.equal(empty.responseElements, null);
  });

  test("a failure: errorCode and errorMessage after userAgent, no response elements, long texts truncated to 1 KB", () => {
    const long = "m".repeat(3000);
    const stored = buildEvent(
      { ...origin, userAgent: "u".repeat(2000) },
      { api, operation: "PutThing", principal, region: "us-east-1", input: { Name: "web" }, error: sdErrors.ServiceNotFound(long), resources: [], eventTime },
    );
    const r = JSON.parse(stored.record) as Record<string, unknown>;
    assert.deepEqual(Object.keys(r), AWS_ORDER.filter((k) => k !== "tlsDetails"));
    assert.equal(r.errorCode, "ServiceNotFound");
    assert.equal(r.errorMessage, "m".repeat(1024));
    assert.equal(r.userAgent, "u".repeat(1024));
    assert.deepEqual(r.requestParameters, { name: "web" });
    assert.equal(r.responseElements, null);
    assert.equal(stored.errorCode, "ServiceNotFound");
  });

  test("requestParameters over 100 KB keep the key but lose the content", () => {
    const r = JSON.parse(
      buildEvent(origin, { api, operation: "PutThing", principal, region: "us-east-1", input: { Name: "x".repeat(110 * 1024) }, output: { OperationId: "o" }, resources: [], eventTime }).record,
    ) as Record<string, unknown>;
    assert.deepEqual(r.requestParameters, {});
  });

  test("tlsDetails only over TLS, last; no userAgent key when the request had none", () => {
    const tls = { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "svc.example" };
    const r = JSON.parse(
      buildEvent({ requestId: "r", sourceIp: "::1", tls }, { api, operation: "GetThing", principal, region: "us-east-1", input: {}, output: {}, resources: [], eventTime }).record,
    ) as Record<string, unknown>;
    assert.deepEqual(r.tlsDetails, tls);
    assert.equal(Object.keys(r).at(-1), "tlsDetails");
    assert.equal("userAgent" in r, false);
  });

  test("every event gets its own random UUID", () => {
    const ids = new Set(Array.from({ length: 100 }, () => buildEvent(origin, { api, operation: "Ping", principal, region: "us-east-1", input: {}, resources: [], eventTime }).eventId));
    assert.equal(ids.size, 100);
  });
});

describe("callResources", () => {
  const op = { resources: (input: { Names: unknown[] }) => input.Names.map((name) => ({ type: "AWS::Svc::Thing", name })) } as unknown as OperationDef;

  test("leaves out what cannot name a resource or be indexed: non-strings, empty, over 2000 characters, NUL", () => {
    const names = ["web", 7, "", "x".repeat(2000), "y".repeat(2001), "a\0b"];
    assert.deepEqual(
      callResources(op, { Names: names }, undefined).map((r) => r.name),
      ["web", "x".repeat(2000)],
    );
  });

  test("a mapping that throws on a malformed input names no resource", () => {
    assert.deepEqual(callResources(op, {}, undefined), []);
  });
});
