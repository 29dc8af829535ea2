import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { commonErrors } from "../../src/protocol/common-errors.js";
import type { ApiModel } from "../../src/protocol/model-types.js";
import { ServiceError } from "../../src/protocol/errors.js";
import { RouteError, Router } from "../../src/server/router.js";
import { defineApi } from "../../src/services/define-api.js";
import { noResourceType, operation, type ApiDef, type ApiSpec } from "../../src/services/operation.js";
import { apiTables } from "../support/api-tables.js";

const APIS = apiTables();
const router = new Router(APIS);

/** What the router answers for `operation` of `api`: the error it throws, as the caller would get it. */
function routeError(api: ApiDef, operation: string): ServiceError {
  const meta = api.model.metadata;
  const signed = { authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/${api.signingName}/aws4_request` };
  try {
    if (meta.protocol === "json") {
      router.route({ ...signed, "x-amz-target": `${meta.targetPrefix}.${operation}`, "content-type": "application/x-amz-json-1.1" }, Buffer.from("{}"));
    } else {
      router.route({ ...signed, "content-type": "application/x-www-form-urlencoded" }, Buffer.from(`Action=${operation}&Version=${meta.apiVersion}`));
    }
  } catch (error) {
    assert.ok(error instanceof ServiceError, String(error));
    return error;
  }
  assert.fail(`${api.signingName}:${operation} was routed`);
}

describe("every API's operations", () => {
  it("serve or declare unsupported every operation of the model, and nothing outside it", () => {
    assert.deepEqual(APIS.map((a) => a.signingName), ["servicediscovery", "cloudtrail", "iam", "sts", "events"]);
    for (const api of APIS) {
      const modelled = Object.keys(api.model.operations).sort();
      const declared = [...Object.keys(api.operations), ...api.unsupported].sort();
      assert.deepEqual(declared, modelled, api.signingName);
    }
  });

  it("answer an unsupported operation as AWS answers one it does not know, on the API's protocol", () => {
    for (const api of APIS) {
      const meta = api.model.metadata;
      for (const name of api.unsupported) {
        const error = routeError(api, name);
        assert.equal(error.httpStatus, 400, `${api.signingName}:${name}`);
        if (meta.protocol === "json") {
          assert.equal(error.code, "UnknownOperationException");
          assert.equal(error.message, `Unknown operation ${meta.targetPrefix}.${name}`);
        } else {
          assert.ok(error instanceof RouteError, `${api.signingName}:${name} is rendered in the API's own protocol`);
          assert.equal(error.code, "InvalidAction");
          assert.equal(error.message, `Could not find operation ${name} for version ${meta.apiVersion}`);
        }
      }
    }
    const unsupported = (signingName: string) => APIS.find((a) => a.signingName === signingName)!.unsupported;
    for (const [api, name] of [["iam", "CreateLoginProfile"], ["cloudtrail", "CreateEventDataStore"], ["sts", "AssumeRoleWithSAML"]] as const) {
      assert.ok(unsupported(api).has(name), `${api}:${name}`);
    }
  });

  it("have their audit facts settled: recorded unless stated, readOnly from the verb or stated", () => {
    const cloudMap = APIS[0]!;
    assert.equal(cloudMap.operations.GetNamespace!.readOnly, true);
    assert.equal(cloudMap.operations.RegisterInstance!.readOnly, false);
    assert.equal(cloudMap.operations.RegisterInstance!.recorded, true);
    assert.equal(cloudMap.operations.DiscoverInstances!.recorded, false);
    assert.equal(APIS[3]!.operations.AssumeRole!.readOnly, true);
  });
});

describe("defineApi", () => {
  const model: ApiModel = {
    metadata: { apiVersion: "2025-01-01", endpointPrefix: "svc", signingName: "svc", protocol: "json", targetPrefix: "Svc", serviceId: "Svc" },
    operations: { GetThing: { name: "GetThing", errors: [] }, PutThing: { name: "PutThing", errors: [] }, PingThing: { name: "PingThing", errors: [] } },
    shapes: {},
  };
  const row = (readOnly?: boolean) => operation({ authorize: noResourceType, handle: async () => ({}), ...(readOnly === undefined ? {} : { readOnly }) });
  const spec = (operations: ApiSpec["operations"], unsupported: string[] = []): ApiSpec => ({
    signingName: "svc",
    model,
    eventSource: "svc.amazonaws.com",
    validationError: commonErrors.ValidationError,
    operations,
    unsupported,
  });

  it("settles readOnly from the verb and recorded to true", () => {
    const api = defineApi(spec({ GetThing: row(), PutThing: row(), PingThing: row(true) }));
    assert.deepEqual(
      Object.entries(api.operations).map(([name, op]) => [name, op.readOnly, op.recorded]),
      [["GetThing", true, true], ["PutThing", false, true], ["PingThing", true, true]],
    );
  });

  it("refuses a model operation neither served nor declared unsupported", () => {
    assert.throws(() => defineApi(spec({ GetThing: row(), PutThing: row() })), /PingThing is neither served nor declared unsupported/);
    assert.doesNotThrow(() => defineApi(spec({ GetThing: row(), PutThing: row() }, ["PingThing"])));
  });

  it("refuses rows and unsupported names outside the model, and an operation both served and unsupported", () => {
    assert.throws(() => defineApi(spec({ GetThing: row(), PutThing: row(), PingThing: row(true), Extra: row() })), /Extra is served but not in the model/);
    assert.throws(() => defineApi(spec({ GetThing: row(), PutThing: row(), PingThing: row(true) }, ["Nope"])), /Nope is unsupported but not in the model/);
    assert.throws(() => defineApi(spec({ GetThing: row(), PutThing: row(), PingThing: row(true) }, ["GetThing"])), /GetThing is both served and unsupported/);
  });

  it("wants readOnly stated exactly when the verb does not say it", () => {
    assert.throws(() => defineApi(spec({ GetThing: row(), PutThing: row(), PingThing: row() })), /svc:PingThing: its verb does not say/);
    assert.throws(() => defineApi(spec({ GetThing: row(true), PutThing: row(), PingThing: row(true) })), /svc:GetThing: its verb already says readOnly true/);
  });

  it("does not compile a row without authorisation facts", () => {
    // @ts-expect-error `authorize` is required: a row gives its resources or says `noResourceType`.
    const missing = operation({ handle: async () => ({}) });
    assert.equal(missing.authorize, undefined);
  });
});
