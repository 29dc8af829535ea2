import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { compileJavaPattern, formatViolations, validateShape } from "../../src/protocol/validate.js";
import type { ApiModel } from "../../src/protocol/model-types.js";
import { model as sd } from "../../src/generated/servicediscovery.js";
import { model as ct } from "../../src/generated/cloudtrail.js";
import { model as sts } from "../../src/generated/sts.js";
import { model as iam } from "../../src/generated/iam.js";

const message = (m: ApiModel, shape: string, value: unknown) => formatViolations(validateShape(m, shape, value));

test("a missing or null required member is reported as Value null", () => {
  assert.equal(
    message(sd, "CreateHttpNamespaceRequest", {}),
    "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
  );
  assert.deepEqual(validateShape(sd, "CreateHttpNamespaceRequest", { Name: null }), [
    { path: "name", message: "Member must not be null", value: null },
  ]);
  // An absent body is an empty structure.
  assert.equal(validateShape(sd, "CreateHttpNamespaceRequest", undefined).length, 1);
  assert.deepEqual(validateShape(sd, "CreateHttpNamespaceRequest", { Name: "ok-name", Unknown: { x: 1 } }), []);
});

test("string max length and pattern (CreateHttpNamespace Name)", () => {
  assert.equal(
    message(sd, "CreateHttpNamespaceRequest", { Name: "a b" }),
    "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: " +
      "Member must satisfy regular expression pattern: ^(?!arn:)[!-~]{1,1024}$",
  );
  // Negative look-ahead in the pattern.
  assert.equal(validateShape(sd, "CreateHttpNamespaceRequest", { Name: "arn:aws:x" })[0]?.path, "name");
  const long = "x".repeat(1025);
  const v = validateShape(sd, "CreateHttpNamespaceRequest", { Name: long });
  assert.deepEqual(
    v.map((x) => x.message),
    ["Member must have length less than or equal to 1024", "Member must satisfy regular expression pattern: ^(?!arn:)[!-~]{1,1024}$"],
  );
  assert.match(formatViolations(v), /^2 validation errors detected: Value 'x{1025}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 1024; Value 'x{1025}' at 'name'/);
  assert.deepEqual(validateShape(sd, "CreateHttpNamespaceRequest", { Name: "x".repeat(1024) }), []);
  // Description: max only.
  assert.equal(
    message(sd, "CreateHttpNamespaceRequest", { Name: "n", Description: "d".repeat(1025) }).replace(/d{1025}/, "…"),
    "1 validation error detected: Value '…' at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024",
  );
});

test("service name pattern (look-ahead, '-_' class, full match)", () => {
  const ok = ["my-service", "_http._tcp", "a", "a.b-c.d_e", ".", "x".repeat(63)];
  for (const name of ok) assert.deepEqual(validateShape(sd, "CreateServiceRequest", { Name: name }), [], name);
  const bad = ["my service", "-lead", "trail-", "a..b", "x".repeat(64), `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(10)}`];
  for (const name of bad) {
    const v = validateShape(sd, "CreateServiceRequest", { Name: name });
    assert.equal(v.length, 1, name);
    assert.equal(v[0]!.path, "name");
    assert.ok(v[0]!.message.startsWith("Member must satisfy regular expression pattern: ((?=^.{1,127}$)"), name);
  }
});

test("enum membership", () => {
  assert.equal(
    message(sd, "CreateServiceRequest", { Name: "svc", Type: "DNS" }),
    "1 validation error detected: Value 'DNS' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP]",
  );
  assert.equal(
    message(sd, "ListNamespacesRequest", { Filters: [{ Name: "TYPE", Values: ["HTTP"] }, { Name: "COLOR", Values: ["x"], Condition: "EQ" }] }),
    "1 validation error detected: Value 'COLOR' at 'filters.2.member.name' failed to satisfy constraint: " +
      "Member must satisfy enum value set: [TYPE, NAME, HTTP_NAME, RESOURCE_OWNER]",
  );
  assert.equal(
    message(ct, "LookupEventsRequest", { LookupAttributes: [{ AttributeKey: "Bogus", AttributeValue: "x" }] }),
    "1 validation error detected: Value 'Bogus' at 'lookupAttributes.1.member.attributeKey' failed to satisfy constraint: " +
      "Member must satisfy enum value set: [EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId]",
  );
});

test("numeric ranges (ListNamespaces MaxResults 1..100, LookupEvents MaxResults 1..50)", () => {
  assert.equal(
    message(sd, "ListNamespacesRequest", { MaxResults: 0 }),
    "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  assert.equal(
    message(sd, "ListNamespacesRequest", { MaxResults: 101 }),
    "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
  );
  assert.deepEqual(validateShape(sd, "ListNamespacesRequest", { MaxResults: 1 }), []);
  assert.deepEqual(validateShape(sd, "ListNamespacesRequest", { MaxResults: 100 }), []);
  assert.equal(validateShape(ct, "LookupEventsRequest", { MaxResults: 51 })[0]?.message, "Member must have value less than or equal to 50");
});

test("list limits and list members", () => {
  const tags = Array.from({ length: 201 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  const v = validateShape(sd, "CreateHttpNamespaceRequest", { Name: "n", Tags: tags });
  assert.equal(v.length, 1);
  assert.equal(v[0]!.path, "tags");
  assert.equal(v[0]!.message, "Member must have length less than or equal to 200");

  assert.equal(
    message(sd, "UntagResourceRequest", { ResourceARN: "arn:x", TagKeys: ["a", "", null] }),
    "2 validation errors detected: Value '' at 'tagKeys.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value null at 'tagKeys.3.member' failed to satisfy constraint: Member must not be null",
  );
  assert.equal(
    message(sd, "CreateHttpNamespaceRequest", { Name: "n", Tags: [{ Key: "k" }] }),
    "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
  );
  // CloudTrail: FieldSelectors has min 1; an empty list renders as '[]'.
  assert.equal(
    message(ct, "PutEventSelectorsRequest", { TrailName: "t", AdvancedEventSelectors: [{ FieldSelectors: [] }] }),
    "1 validation error detected: Value '[]' at 'advancedEventSelectors.1.member.fieldSelectors' failed to satisfy constraint: " +
      "Member must have length greater than or equal to 1",
  );
});

test("map limits, keys and values", () => {
  assert.equal(
    message(sd, "UpdateServiceAttributesRequest", { ServiceId: "srv-1", Attributes: {} }),
    "1 validation error detected: Value '{}' at 'attributes' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, "v"]));
  assert.equal(validateShape(sd, "UpdateServiceAttributesRequest", { ServiceId: "s", Attributes: many })[0]?.message, "Member must have length less than or equal to 30");

  assert.deepEqual(validateShape(sd, "RegisterInstanceRequest", { ServiceId: "s", InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }), []);
  assert.equal(
    message(sd, "RegisterInstanceRequest", { ServiceId: "s", InstanceId: "i-1", Attributes: { ["k".repeat(256)]: "v", ok: "v".repeat(1025) } }),
    "2 validation errors detected: " +
      "Value at 'attributes' failed to satisfy constraint: Map keys must satisfy constraint: " +
      "[Member must have length less than or equal to 255, Member must satisfy regular expression pattern: ^[a-zA-Z0-9!-~]+$]; " +
      "Value at 'attributes' failed to satisfy constraint: Map value must satisfy constraint: " +
      "[Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: ^([a-zA-Z0-9!-~][ \\ta-zA-Z0-9!-~]*){0,1}[a-zA-Z0-9!-~]{0,1}$]",
  );
  // Values may contain inner spaces but not leading ones.
  assert.deepEqual(validateShape(sd, "RegisterInstanceRequest", { ServiceId: "s", InstanceId: "i", Attributes: { a: "x y" } }), []);
  assert.equal(validateShape(sd, "RegisterInstanceRequest", { ServiceId: "s", InstanceId: "i", Attributes: { a: " x" } }).length, 1);
  // CloudTrail: ListInsightsData Dimensions is a 1..1 map keyed by an enum.
  assert.equal(
    message(ct, "ListInsightsDataRequest", { InsightSource: "arn:aws:cloudtrail:us-east-1:123456789012:trail/t", DataType: "InsightsEvents", Dimensions: { EventName: "x", Bogus: "y" } }),
    "2 validation errors detected: Value '{EventName=x, Bogus=y}' at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 1; " +
      "Value at 'dimensions' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [EventId, EventName, EventSource]]",
  );
});

test("nested paths: CreateService DnsConfig.DnsRecords", () => {
  assert.equal(
    message(sd, "CreateServiceRequest", { Name: "svc", DnsConfig: { DnsRecords: [{ Type: "MX", TTL: 60 }] } }),
    "1 validation error detected: Value 'MX' at 'dnsConfig.dnsRecords.1.member.type' failed to satisfy constraint: " +
      "Member must satisfy enum value set: [SRV, A, AAAA, CNAME]",
  );
  const v = validateShape(sd, "CreateServiceRequest", {
    Name: "svc",
    DnsConfig: { RoutingPolicy: "RANDOM", DnsRecords: [{ Type: "A", TTL: 60 }, { Type: "SRV" }, { Type: "AAAA", TTL: -1 }] },
    HealthCheckConfig: { FailureThreshold: 11 },
  });
  assert.deepEqual(
    v.map((x) => `${x.path}: ${x.message}`),
    [
      "dnsConfig.routingPolicy: Member must satisfy enum value set: [MULTIVALUE, WEIGHTED]",
      "dnsConfig.dnsRecords.2.member.tTL: Member must not be null",
      "dnsConfig.dnsRecords.3.member.tTL: Member must have value greater than or equal to 0",
      "healthCheckConfig.type: Member must not be null",
      "healthCheckConfig.failureThreshold: Member must have value less than or equal to 10",
    ],
  );
  assert.equal(validateShape(sd, "CreateServiceRequest", { Name: "svc", DnsConfig: {} })[0]?.path, "dnsConfig.dnsRecords");
});

test("no string holds a NUL character, constrained by the model or not, as a value or a map key", () => {
  // GetNamespace Id has no pattern: the NUL rule alone rejects it.
  assert.deepEqual(validateShape(sd, "GetNamespaceRequest", { Id: "ns-\0" }), [
    { path: "id", message: "Member must not contain the NUL character (U+0000)", value: "ns-\0" },
  ]);
  assert.deepEqual(validateShape(sd, "GetNamespaceRequest", { Id: "ns-1" }), []);
  // Map entries: Coral's summary lists the model's constraints; where there are none, the NUL rule.
  assert.equal(validateShape(sd, "RegisterInstanceRequest", { ServiceId: "srv-1", InstanceId: "i-1", Attributes: { note: "a\0b" } }).length, 1);
  assert.deepEqual(validateShape(sd, "TagResourceRequest", { ResourceARN: "arn:x", Tags: [{ Key: "k", Value: "v\0" }] }).map((v) => v.message), [
    "Member must not contain the NUL character (U+0000)",
  ]);
  assert.deepEqual(validateShape(ct, "GetTrailRequest", { Name: "\0" }).map((v) => v.message).at(-1), "Member must not contain the NUL character (U+0000)");
});

test("multi-violation message formatting", () => {
  const v = validateShape(sd, "ListNamespacesRequest", { MaxResults: 0, NextToken: "t".repeat(4097), Filters: [{ Values: ["v"] }] });
  assert.equal(
    formatViolations(v).replace(/t{4097}/, "T"),
    "3 validation errors detected: " +
      "Value 'T' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 4096; " +
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
      "Value null at 'filters.1.member.name' failed to satisfy constraint: Member must not be null",
  );
  assert.equal(formatViolations([]), "");
});

test("sensitive members are not echoed", () => {
  const v = validateShape(sts, "AssumeRoleWithSAMLRequest", { RoleArn: "arn:aws:iam::123456789012:role/r", PrincipalArn: "arn:aws:iam::123456789012:saml-provider/p", SAMLAssertion: "abc" });
  assert.equal(
    formatViolations(v),
    "1 validation error detected: Value at 'sAMLAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4",
  );
});

test("Java patterns: every model pattern compiles, with Java semantics", () => {
  for (const m of [sd, ct, sts, iam]) {
    for (const [name, shape] of Object.entries(m.shapes)) {
      if (shape.type === "string" && shape.pattern !== undefined) {
        assert.notEqual(compileJavaPattern(shape.pattern), null, `${m.metadata.serviceId} ${name}: ${shape.pattern}`);
      }
    }
  }
  // (?s) inline flag (CloudTrail QueryStatement) → dotAll.
  assert.deepEqual(validateShape(ct, "StartQueryRequest", { QueryStatement: "SELECT *\nFROM x" }), []);
  // \p{L} classes need the u flag (IAM tag keys).
  assert.deepEqual(validateShape(iam, "Tag", { Key: "Name-ñ", Value: "v" }), []);
  assert.equal(validateShape(iam, "Tag", { Key: "bad#key", Value: "v" })[0]?.path, "key");
  // Unanchored Java patterns are full matches: IAM user names with a space fail.
  assert.equal(
    message(iam, "CreateUserRequest", { UserName: "my user" }),
    "1 validation error detected: Value 'my user' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  // Surrogate-pair range (CloudTrail PartitionKeyName) accepts astral characters.
  const pk = compileJavaPattern("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*");
  assert.ok(pk?.test("abc \u{1F600}"));
  // STS federatedIdType has "\:" which is only legal without the u flag.
  assert.ok(compileJavaPattern("[\\w+=,.@\\:-]*")?.test("a:b"));
  // Unsupported inline flags are skipped rather than misapplied.
  assert.equal(compileJavaPattern("(?x) a b"), null);
});

test("validation results are stable across cached calls", () => {
  const input = { Name: "svc", DnsConfig: { DnsRecords: [{ Type: "MX", TTL: 60 }] } };
  const first = message(sd, "CreateServiceRequest", input);
  for (let i = 0; i < 1000; i++) assert.equal(message(sd, "CreateServiceRequest", input), first);
});

/** The repository root: above the compiled test file (dist/test/unit), else above the working directory. */
function findRepoRoot(): string {
  for (const start of [path.dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(path.join(dir, "scripts", "generate-models.mjs"))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error("repository root not found");
}

test("regenerating the models reproduces the committed src/generated files", () => {
  const root = findRepoRoot();
  const modelsDir = path.join(root, "models");
  const out = mkdtempSync(path.join(tmpdir(), "cairn-generated-"));
  try {
    execFileSync(process.execPath, [path.join(root, "scripts", "generate-models.mjs")], {
      cwd: root,
      env: { ...process.env, CAIRN_GENERATED_OUT_DIR: out, CAIRN_MODELS_DIR: modelsDir },
      stdio: "pipe",
    });
    for (const api of ["servicediscovery", "cloudtrail", "sts", "iam", "events"]) {
      const fresh = readFileSync(path.join(out, `${api}.ts`), "utf8");
      const committed = readFileSync(path.join(root, "src", "generated", `${api}.ts`), "utf8");
      assert.ok(fresh === committed, `src/generated/${api}.ts is stale: run node scripts/generate-models.mjs`);
      assert.ok(!/"documentation"/.test(fresh), `${api}.ts must not carry documentation`);
      assert.ok(!/"documentation"/.test(readFileSync(path.join(modelsDir, `${api}.json`), "utf8")), `models/${api}.json must not carry documentation`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
