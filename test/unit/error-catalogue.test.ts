import { test } from "node:test";
import assert from "node:assert/strict";

import { ServiceError } from "../../src/protocol/errors.js";
import { commonErrors, internalFailure } from "../../src/protocol/common-errors.js";
import type { ApiModel } from "../../src/protocol/model-types.js";
import * as sd from "../../src/generated/servicediscovery.js";
import * as ct from "../../src/generated/cloudtrail.js";
import * as sts from "../../src/generated/sts.js";
import * as iam from "../../src/generated/iam.js";
import * as events from "../../src/generated/events.js";

const apis: [string, ApiModel, Record<string, { spec: { code: string; httpStatus: number; fault: string } }>][] = [
  ["servicediscovery", sd.model, sd.errors],
  ["cloudtrail", ct.model, ct.errors],
  ["sts", sts.model, sts.errors],
  ["iam", iam.model, iam.errors],
  ["events", events.model, events.errors],
];

test("every error an operation declares is in its API's catalogue, with the model's status", () => {
  for (const [api, model, errors] of apis) {
    const declared = new Set(Object.values(model.operations).flatMap((op) => op.errors));
    assert.ok(declared.size > 0, api);
    for (const shapeName of declared) {
      const shape = model.shapes[shapeName]!;
      assert.equal(shape.type, "structure");
      const code = (shape.type === "structure" && shape.error?.code) || shapeName;
      const entry = errors[code];
      assert.ok(entry, `${api}: ${code} missing from the catalogue`);
      assert.equal(entry.spec.code, code);
      const status = shape.type === "structure" ? shape.error?.httpStatusCode : undefined;
      assert.equal(entry.spec.httpStatus, status ?? (code === "InternalException" ? 500 : 400), `${api}: ${code}`);
      assert.equal(entry.spec.fault, entry.spec.httpStatus >= 500 ? "Receiver" : "Sender", `${api}: ${code}`);
    }
  }
});

test("a catalogue entry makes the ServiceError of its spec, with the modelled fields", () => {
  const clash = sd.errors.NamespaceAlreadyExists("Namespace x already exists.", { NamespaceId: "ns-1", CreatorRequestId: "r" });
  assert.ok(clash instanceof ServiceError);
  assert.deepEqual([clash.code, clash.httpStatus, clash.fault, clash.auditCode, clash.message], ["NamespaceAlreadyExists", 400, "Sender", "NamespaceAlreadyExists", "Namespace x already exists."]);
  assert.deepEqual(clash.fields, { NamespaceId: "ns-1", CreatorRequestId: "r" });
  const missing = iam.errors.NoSuchEntity("gone");
  assert.deepEqual([missing.code, missing.httpStatus, missing.fault], ["NoSuchEntity", 404, "Sender"]);
  assert.deepEqual(missing.fields, {});
  const failure = iam.errors.ServiceFailure("x");
  assert.deepEqual([failure.httpStatus, failure.fault], [500, "Receiver"]);
  assert.deepEqual([internalFailure().code, internalFailure().httpStatus, internalFailure().fault], ["InternalFailure", 500, "Receiver"]);
  assert.deepEqual([commonErrors.NotAnApiRequest.spec.code, commonErrors.NotAnApiRequest.spec.httpStatus], ["UnknownOperationException", 404]);
});

test("codes a catalogue lacks, and fields its model does not declare, do not compile", () => {
  // Checked by tsc when the tests build; at run time the lines only show the entries are absent.
  // @ts-expect-error IAM's NoSuchEntity is not a Cloud Map error.
  assert.equal(sd.errors.NoSuchEntity, undefined);
  // @ts-expect-error no API models this code.
  assert.equal(ct.errors.NamespaceNotFound, undefined);
  // @ts-expect-error NamespaceNotFound models no extra members.
  assert.equal(sd.errors.NamespaceNotFound("m", { NamespaceId: "ns-1" }).code, "NamespaceNotFound");
  // @ts-expect-error ServiceAlreadyExists has no NamespaceId member.
  assert.equal(sd.errors.ServiceAlreadyExists("m", { NamespaceId: "ns-1" }).code, "ServiceAlreadyExists");
});
