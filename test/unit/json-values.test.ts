import { test } from "node:test";
import assert from "node:assert/strict";

import { decodeJsonInput, encodeJsonOutput } from "../../src/protocol/json-values.js";
import { ServiceError } from "../../src/protocol/errors.js";
import { model as sd } from "../../src/generated/servicediscovery.js";
import { model as ct } from "../../src/generated/cloudtrail.js";

const T = 1587055860121; // 2020-04-16T16:51:00.121Z

test("timestamps decode from epoch seconds, fractional seconds, ISO-8601 and numeric strings", () => {
  const cases: [unknown, number][] = [
    [1587055860, 1587055860000],
    [1587055860.121, T],
    ["2020-04-16T16:51:00.121Z", T],
    ["2020-04-16T18:51:00.121+02:00", T],
    ["1587055860.121", T],
    [0, 0],
  ];
  for (const [input, ms] of cases) {
    const out = decodeJsonInput(ct, "LookupEventsRequest", { StartTime: input }) as { StartTime: Date };
    assert.ok(out.StartTime instanceof Date, String(input));
    assert.equal(out.StartTime.getTime(), ms, String(input));
  }
});

test("decoding returns a fresh object: unknown members dropped, nulls removed, input untouched", () => {
  const input = {
    Name: "svc",
    Unknown: 1,
    Description: null,
    DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60, Extra: true }], Junk: [] },
    Tags: [{ Key: "k", Value: "v" }],
  };
  const snapshot = structuredClone(input);
  const out = decodeJsonInput(sd, "CreateServiceRequest", input);
  assert.deepEqual(out, { Name: "svc", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] }, Tags: [{ Key: "k", Value: "v" }] });
  assert.deepEqual(input, snapshot);
  assert.notEqual((out as { Tags: unknown }).Tags, input.Tags);
  // Absent body → empty structure.
  assert.deepEqual(decodeJsonInput(sd, "ListNamespacesRequest", undefined), {});
  assert.deepEqual(decodeJsonInput(sd, "ListNamespacesRequest", null), {});
});

test("maps keep their keys (including __proto__) and decode values", () => {
  const parsed = JSON.parse('{"ServiceId":"s","InstanceId":"i","Attributes":{"AWS_INSTANCE_IPV4":"10.0.0.1","__proto__":"x"}}') as unknown;
  const out = decodeJsonInput(sd, "RegisterInstanceRequest", parsed) as { Attributes: Record<string, string> };
  assert.deepEqual(Object.keys(out.Attributes), ["AWS_INSTANCE_IPV4", "__proto__"]);
  assert.equal(Object.getPrototypeOf(out.Attributes), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(out.Attributes, "__proto__")?.value, "x");
});

test("blobs decode from base64", () => {
  const out = decodeJsonInput(ct, "PublicKey", { Value: "aGVsbG8=" }) as { Value: Uint8Array };
  assert.ok(out.Value instanceof Uint8Array);
  assert.equal(Buffer.from(out.Value).toString("utf8"), "hello");
});

function assertSerialization(fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, "SerializationException");
    assert.equal(err.httpStatus, 400);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test("JSON type mismatches throw SerializationException", () => {
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: 5 }), /^NUMBER_VALUE can not be converted to a String$/);
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: true }));
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: { a: 1 } }), /Start of structure or map found where not expected/);
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: ["x"] }), /Start of list found where not expected/);
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: "n", Tags: "x" }), /STRING_VALUE can not be converted to a List/);
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: "n", Tags: [{ Key: 1, Value: "v" }] }));
  assertSerialization(() => decodeJsonInput(sd, "CreateHttpNamespaceRequest", { Name: "n", Tags: ["k=v"] }), /a Structure/);
  assertSerialization(() => decodeJsonInput(sd, "ListNamespacesRequest", { MaxResults: "10" }), /STRING_VALUE can not be converted to an Integer/);
  assertSerialization(() => decodeJsonInput(sd, "ListNamespacesRequest", { MaxResults: 1.5 }), /an Integer/);
  assertSerialization(() => decodeJsonInput(sd, "CreateServiceRequest", { Name: "s", DnsConfig: { DnsRecords: [{ Type: "A", TTL: 1.5 }] } }), /a Long/);
  assertSerialization(() => decodeJsonInput(sd, "RegisterInstanceRequest", { Attributes: { k: 1 } }));
  assertSerialization(() => decodeJsonInput(sd, "RegisterInstanceRequest", { Attributes: [] }));
  assertSerialization(() => decodeJsonInput(ct, "CreateTrailRequest", { Name: "t", S3BucketName: "b", IsMultiRegionTrail: "true" }), /a Boolean/);
  assertSerialization(() => decodeJsonInput(ct, "LookupEventsRequest", { StartTime: "yesterday" }));
  assertSerialization(() => decodeJsonInput(ct, "LookupEventsRequest", { StartTime: true }));
  assertSerialization(() => decodeJsonInput(ct, "PublicKey", { Value: 12 }));
  assertSerialization(() => decodeJsonInput(sd, "ListNamespacesRequest", "{}"), /a Structure/);
  assertSerialization(() => decodeJsonInput(sd, "ListNamespacesRequest", []));
});

test("encoding: Date → epoch seconds with millisecond precision, undeclared and empty members dropped", () => {
  const out = encodeJsonOutput(sd, "GetNamespaceResponse", {
    Namespace: {
      Id: "ns-1",
      Name: "example",
      Type: "HTTP",
      ServiceCount: 0,
      CreateDate: new Date(T),
      Description: undefined,
      Properties: { DnsProperties: null, HttpProperties: { HttpName: "example" } },
      internalRowId: 42,
    },
    secret: "nope",
  });
  assert.deepEqual(out, {
    Namespace: { Id: "ns-1", Name: "example", Type: "HTTP", ServiceCount: 0, CreateDate: 1587055860.121, Properties: { HttpProperties: { HttpName: "example" } } },
  });
  // Members come out in model order.
  assert.equal(JSON.stringify(out), '{"Namespace":{"Id":"ns-1","Name":"example","Type":"HTTP","ServiceCount":0,"Properties":{"HttpProperties":{"HttpName":"example"}},"CreateDate":1587055860.121}}');
  assert.equal(encodeJsonOutput(ct, "PublicKey", { ValidityStartTime: new Date(1587055860000) }) instanceof Object, true);
  assert.deepEqual(encodeJsonOutput(ct, "PublicKey", { ValidityStartTime: new Date(1587055860000) }), { ValidityStartTime: 1587055860 });
  assert.deepEqual(encodeJsonOutput(sd, "ListNamespacesResponse", undefined), {});
});

test("encoding walks lists, maps and blobs", () => {
  const out = encodeJsonOutput(ct, "ListPublicKeysResponse", {
    PublicKeyList: [
      { Value: new Uint8Array(Buffer.from("hello")), ValidityStartTime: new Date(T), Fingerprint: "ab", extra: 1 },
      { Value: Buffer.from("hi"), ValidityEndTime: new Date(0) },
    ],
  });
  assert.deepEqual(out, {
    PublicKeyList: [
      { Value: "aGVsbG8=", ValidityStartTime: 1587055860.121, Fingerprint: "ab" },
      { Value: "aGk=", ValidityEndTime: 0 },
    ],
  });
  const inst = encodeJsonOutput(sd, "GetInstanceResponse", { Instance: { Id: "i-1", Attributes: { a: "1", b: undefined } } });
  assert.deepEqual(inst, { Instance: { Id: "i-1", Attributes: { a: "1" } } });
  const events = encodeJsonOutput(ct, "LookupEventsResponse", { Events: [{ EventId: "e", EventTime: new Date(T), Resources: [] }] });
  assert.deepEqual(events, { Events: [{ EventId: "e", EventTime: 1587055860.121, Resources: [] }] });
});

test("decode → encode round trip of timestamps", () => {
  const decoded = decodeJsonInput(ct, "LookupEventsRequest", { StartTime: 1587055860.121, EndTime: "2020-04-16T16:51:00Z" }) as Record<string, Date>;
  assert.equal(decoded.StartTime!.getTime(), T);
  const listed = encodeJsonOutput(ct, "PublicKey", { ValidityStartTime: decoded.StartTime, ValidityEndTime: decoded.EndTime });
  assert.deepEqual(listed, { ValidityStartTime: 1587055860.121, ValidityEndTime: 1587055860 });
});
