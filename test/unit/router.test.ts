import { test } from "node:test";
import assert from "node:assert/strict";
import { RouteError, Router } from "../../src/server/router.js";
import { stsApi } from "../../src/services/sts/index.js";

test("an awsQuery Action naming an Object.prototype member is InvalidAction, as an unknown one is", () => {
  const router = new Router([stsApi]);
  const form = { "content-type": "application/x-www-form-urlencoded" };
  assert.equal(router.route(form, Buffer.from("Action=GetCallerIdentity&Version=2011-06-15")).operation, "GetCallerIdentity");
  for (const action of ["constructor", "__proto__", "toString", "NoSuchAction"]) {
    assert.throws(
      () => router.route(form, Buffer.from(`Action=${action}&Version=2011-06-15`)),
      (e: unknown) => e instanceof RouteError && e.code === "InvalidAction",
      action,
    );
  }
});
