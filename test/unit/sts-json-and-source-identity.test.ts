import { test } from "node:test";
import assert from "node:assert/strict";
import type { Principal } from "../../src/auth/principal.js";
import { AuthFailure, accessDenied, renderAuthFailure } from "../../src/protocol/auth-failures.js";
import { ServiceError } from "../../src/protocol/errors.js";
import { Router } from "../../src/server/router.js";
import { stsApi } from "../../src/services/sts/index.js";
import { sourceIdentityOf } from "../../src/services/sts/source-identity.js";
import { taggedCreate } from "../../src/services/request-tags.js";

function withSts(run: (router: Router) => void): void {
  run(new Router([stsApi]));
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const BODY = Buffer.from("Action=GetSessionToken&Version=2011-06-15");

test("Accept: application/json picks the JSON form of the awsQuery answer; anything else keeps XML", () => {
  withSts((router) => {
    for (const accept of ["application/json", "text/html, application/json;q=0.9", "APPLICATION/JSON"]) {
      const route = router.route({ ...FORM, accept }, BODY);
      const out = route.codec.encodeOutput(route.api.model, route.operation, {
        Credentials: { AccessKeyId: "ASIAX", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(1_700_000_000_000) },
      }, "req-1");
      assert.equal(out.headers["content-type"], "application/json", accept);
      assert.deepEqual(JSON.parse(out.body.toString()), {
        GetSessionTokenResponse: {
          GetSessionTokenResult: { Credentials: { AccessKeyId: "ASIAX", SecretAccessKey: "s", SessionToken: "t", Expiration: 1_700_000_000 } },
          ResponseMetadata: { RequestId: "req-1" },
        },
      });
      const error = route.codec.encodeError(renderAuthFailure(accessDenied("no"), "query"), "req-2");
      assert.equal(error.status, 403);
      assert.deepEqual(JSON.parse(error.body.toString()), { Error: { Code: "AccessDenied", Message: "no", Type: "Sender" }, RequestId: "req-2" });
    }
    for (const accept of [undefined, "text/xml", "application/jsonx", "*/*"]) {
      const route = router.route(accept === undefined ? FORM : { ...FORM, accept }, BODY);
      const out = route.codec.encodeError(renderAuthFailure(accessDenied("no"), "query"), "r");
      assert.match(out.body.toString(), /^<ErrorResponse /, String(accept));
    }
  });
});

const user: Principal = { type: "IAMUser", accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/u", principalId: "AIDA1", accessKeyId: "AKIA1", userName: "u" };
function chained(sourceIdentity: string | undefined): Principal {
  return {
    type: "AssumedRole",
    accountId: "123456789012",
    arn: "arn:aws:sts::123456789012:assumed-role/r/s",
    principalId: "AROA1:s",
    accessKeyId: "ASIA1",
    roleName: "r",
    roleArn: "arn:aws:iam::123456789012:role/r",
    sessionName: "s",
    session: { origin: "AssumeRole", creationDate: "2025-01-01T00:00:00Z", mfaAuthenticated: false, ...(sourceIdentity ? { sourceIdentity } : {}) },
  };
}

test("SourceIdentity: asked for, inherited through role chaining, never changed, never aws:-prefixed", () => {
  assert.equal(sourceIdentityOf(user, undefined), undefined);
  assert.equal(sourceIdentityOf(user, "alice"), "alice");
  assert.equal(sourceIdentityOf(chained("alice"), undefined), "alice");
  assert.equal(sourceIdentityOf(chained("alice"), "alice"), "alice");
  assert.equal(sourceIdentityOf(chained(undefined), "bob"), "bob");
  assert.throws(() => sourceIdentityOf(chained("alice"), "bob"), (e: unknown) => e instanceof AuthFailure && renderAuthFailure(e, "query").code === "AccessDenied" && renderAuthFailure(e, "query").httpStatus === 403);
  for (const reserved of ["aws:alice", "AWS:x"]) {
    assert.throws(() => sourceIdentityOf(user, reserved), (e: unknown) => e instanceof ServiceError && e.code === "ValidationError");
  }
});

test("a create that passes tags needs the tagging action and carries the request-tag keys", () => {
  assert.deepEqual(taggedCreate(undefined, "iam:TagRole"), { conditions: {} });
  assert.deepEqual(taggedCreate([], "iam:TagRole"), { conditions: {} });
  assert.deepEqual(taggedCreate([{ Key: "team", Value: "ops" }], "iam:TagRole"), {
    conditions: { "aws:TagKeys": ["team"], "aws:RequestTag/team": "ops" },
    additionalActions: ["iam:TagRole"],
  });
});
