import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { conditionHolds, type ConditionKeys } from "../../src/auth/conditions.js";
import { authorize, denialMessage, evaluate, type AuthorizationInput, type EvaluationRequest } from "../../src/auth/evaluate.js";
import { parsePolicy, PolicySyntaxError } from "../../src/auth/policy.js";

const ACCOUNT = "123456789012";
const NS = `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:namespace/ns-abc`;
const SRV = `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/srv-xyz`;

const identity = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements }), "identity");
const trust = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements }), "trust");
const keys = (entries: Record<string, string | string[]> = {}): ConditionKeys =>
  new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
const request = (action: string, resource = "*", k: Record<string, string | string[]> = {}): EvaluationRequest => ({ action, resource, keys: keys(k) });

describe("statement matching", () => {
  const cases: Array<{ name: string; statement: object; request: EvaluationRequest; effect: "Allow" | "Deny" | "None" }> = [
    { name: "exact action", statement: { Effect: "Allow", Action: "servicediscovery:GetNamespace", Resource: "*" }, request: request("servicediscovery:GetNamespace", NS), effect: "Allow" },
    { name: "actions are case-insensitive", statement: { Effect: "Allow", Action: "ServiceDiscovery:getnamespace", Resource: "*" }, request: request("servicediscovery:GetNamespace", NS), effect: "Allow" },
    { name: "* in an action", statement: { Effect: "Allow", Action: "servicediscovery:Get*", Resource: "*" }, request: request("servicediscovery:GetService", SRV), effect: "Allow" },
    { name: "? in an action is one character", statement: { Effect: "Allow", Action: "sts:GetSessionToke?", Resource: "*" }, request: request("sts:GetSessionToken"), effect: "Allow" },
    { name: "? does not match two characters", statement: { Effect: "Allow", Action: "sts:GetSessionTok?", Resource: "*" }, request: request("sts:GetSessionToken"), effect: "None" },
    { name: "another action", statement: { Effect: "Allow", Action: "servicediscovery:Get*", Resource: "*" }, request: request("servicediscovery:DeleteService", SRV), effect: "None" },
    { name: "NotAction matches what it does not list", statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" }, request: request("servicediscovery:ListServices"), effect: "Allow" },
    { name: "NotAction skips what it lists", statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" }, request: request("iam:CreateUser"), effect: "None" },
    { name: "resource ARN with * spanning / and :", statement: { Effect: "Allow", Action: "*", Resource: "arn:aws:servicediscovery:*" }, request: request("servicediscovery:GetNamespace", NS), effect: "Allow" },
    { name: "resources are case-sensitive", statement: { Effect: "Allow", Action: "*", Resource: NS.toUpperCase() }, request: request("servicediscovery:GetNamespace", NS), effect: "None" },
    { name: "a specific ARN does not match `*` requests", statement: { Effect: "Allow", Action: "*", Resource: NS }, request: request("servicediscovery:ListNamespaces"), effect: "None" },
    { name: "NotResource matches other resources", statement: { Effect: "Allow", Action: "*", NotResource: NS }, request: request("servicediscovery:GetService", SRV), effect: "Allow" },
    { name: "NotResource skips listed resources", statement: { Effect: "Allow", Action: "*", NotResource: NS }, request: request("servicediscovery:GetNamespace", NS), effect: "None" },
    { name: "a matching Deny", statement: { Effect: "Deny", Action: "servicediscovery:*", Resource: "*" }, request: request("servicediscovery:GetNamespace", NS), effect: "Deny" },
    {
      name: "a condition that fails disables the statement",
      statement: { Effect: "Deny", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:username": "bob" } } },
      request: request("servicediscovery:GetNamespace", NS, { "aws:username": "maria" }),
      effect: "None",
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(evaluate([identity(c.statement)], c.request), c.effect));
  }
});

describe("decisions", () => {
  const allowAll = identity({ Effect: "Allow", Action: "*", Resource: "*" });
  const allowGet = identity({ Effect: "Allow", Action: "servicediscovery:Get*", Resource: "*" });
  const denyDelete = identity({ Effect: "Deny", Action: "servicediscovery:Delete*", Resource: "*" });
  const cases: Array<{ name: string; input: AuthorizationInput; action: string; allowed: boolean; explicit?: boolean; policyType?: string }> = [
    { name: "no policy: implicit deny", input: { isRoot: false, identity: [] }, action: "servicediscovery:GetNamespace", allowed: false, explicit: false, policyType: "identity-based" },
    { name: "an allow", input: { isRoot: false, identity: [allowGet] }, action: "servicediscovery:GetNamespace", allowed: true },
    { name: "explicit deny beats allow", input: { isRoot: false, identity: [allowAll, denyDelete] }, action: "servicediscovery:DeleteNamespace", allowed: false, explicit: true, policyType: "identity-based" },
    { name: "root is always allowed", input: { isRoot: true, identity: [] }, action: "servicediscovery:DeleteNamespace", allowed: true },
    { name: "session policy narrows", input: { isRoot: false, identity: [allowAll], session: [allowGet] }, action: "servicediscovery:DeleteNamespace", allowed: false, explicit: false, policyType: "session" },
    { name: "session policy and identity both allow", input: { isRoot: false, identity: [allowAll], session: [allowGet] }, action: "servicediscovery:GetNamespace", allowed: true },
    { name: "session policy cannot widen", input: { isRoot: false, identity: [allowGet], session: [allowAll] }, action: "servicediscovery:DeleteNamespace", allowed: false, explicit: false, policyType: "identity-based" },
    { name: "an empty session allows nothing (federation without policy)", input: { isRoot: false, identity: [allowAll], session: [] }, action: "servicediscovery:GetNamespace", allowed: false, policyType: "session" },
    { name: "a boundary caps identity policies", input: { isRoot: false, identity: [allowAll], boundary: allowGet }, action: "servicediscovery:DeleteNamespace", allowed: false, explicit: false, policyType: "permissions boundary" },
    { name: "a boundary grants nothing by itself", input: { isRoot: false, identity: [], boundary: allowAll }, action: "servicediscovery:GetNamespace", allowed: false, explicit: false, policyType: "identity-based" },
    { name: "inside the boundary", input: { isRoot: false, identity: [allowAll], boundary: allowGet }, action: "servicediscovery:GetNamespace", allowed: true },
    { name: "a deny in the boundary", input: { isRoot: false, identity: [allowAll], boundary: denyDelete }, action: "servicediscovery:DeleteService", allowed: false, explicit: true, policyType: "permissions boundary" },
    { name: "a deny in a session policy", input: { isRoot: false, identity: [allowAll], session: [allowAll, denyDelete] }, action: "servicediscovery:DeleteService", allowed: false, explicit: true, policyType: "session" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = authorize(c.input, request(c.action, NS));
      assert.equal(verdict.allowed, c.allowed);
      if (!verdict.allowed) {
        if (c.explicit !== undefined) assert.equal(verdict.explicit, c.explicit);
        assert.equal(verdict.policyType, c.policyType);
      }
    });
  }
});

describe("role trust policies", () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/Operator`;
  const assume = request("sts:AssumeRole", role);
  const user = { accountId: ACCOUNT, arns: [`arn:aws:iam::${ACCOUNT}:user/maria`] };
  const allowAssume = identity({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role });
  const cases: Array<{ name: string; principal: object; identity: boolean; caller?: { accountId: string; arns: string[]; service?: string }; allowed: boolean; policyType?: string }> = [
    { name: "trust names the user: no identity policy needed", principal: { AWS: user.arns[0] }, identity: false, allowed: true },
    { name: "trust names the account: identity policy needed", principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, identity: false, allowed: false, policyType: "identity-based" },
    { name: "trust names the account id and identity allows", principal: { AWS: ACCOUNT }, identity: true, allowed: true },
    { name: "trust names someone else", principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, identity: true, allowed: false, policyType: "role trust" },
    { name: "a service principal", principal: { Service: "ecs.amazonaws.com" }, identity: false, caller: { accountId: ACCOUNT, arns: [], service: "ecs.amazonaws.com" }, allowed: true },
    { name: "another service", principal: { Service: "ecs.amazonaws.com" }, identity: false, caller: { accountId: ACCOUNT, arns: [], service: "lambda.amazonaws.com" }, allowed: false, policyType: "role trust" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const verdict = authorize(
        {
          isRoot: false,
          identity: c.identity ? [allowAssume] : [],
          resourcePolicy: { policy: trust({ Effect: "Allow", Principal: c.principal, Action: "sts:AssumeRole" }), kind: "role trust", caller: c.caller ?? user },
        },
        assume,
      );
      assert.equal(verdict.allowed, c.allowed);
      if (!verdict.allowed) assert.equal(verdict.policyType, c.policyType);
    });
  }
  test("an explicit deny in the trust policy", () => {
    const policy = trust(
      { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
      { Effect: "Deny", Principal: { AWS: user.arns[0] }, Action: "sts:AssumeRole" },
    );
    const verdict = authorize({ isRoot: false, identity: [allowAssume], resourcePolicy: { policy, kind: "role trust", caller: user } }, assume);
    assert.deepEqual(verdict, { allowed: false, explicit: true, policyType: "role trust" });
  });
});

describe("policy variables", () => {
  const own = { Effect: "Allow", Action: "iam:*AccessKey*", Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` };
  const doc = (version: string, ...statements: object[]) => parsePolicy(JSON.stringify({ Version: version, Statement: statements }), "identity");
  const cases: Array<[name: string, version: string, statement: object, resource: string, keys: Record<string, string>, effect: "Allow" | "None"]> = [
    ["substituted in Resource", "2012-10-17", own, `arn:aws:iam::${ACCOUNT}:user/maria`, { "aws:username": "maria" }, "Allow"],
    ["another user's resource", "2012-10-17", own, `arn:aws:iam::${ACCOUNT}:user/bob`, { "aws:username": "maria" }, "None"],
    ["a missing value matches nothing", "2012-10-17", own, `arn:aws:iam::${ACCOUNT}:user/maria`, {}, "None"],
    ["literal in the 2008 grammar", "2008-10-17", own, `arn:aws:iam::${ACCOUNT}:user/maria`, { "aws:username": "maria" }, "None"],
    ["a value's * stays literal", "2012-10-17", own, `arn:aws:iam::${ACCOUNT}:user/anyone`, { "aws:username": "*" }, "None"],
    [
      "${*} is a literal star",
      "2012-10-17",
      { Effect: "Allow", Action: "*", Resource: "arn:aws:servicediscovery:*:*:namespace/a${*}b" },
      "arn:aws:servicediscovery:us-east-1:1:namespace/a*b",
      {},
      "Allow",
    ],
    [
      "substituted in condition values",
      "2012-10-17",
      { Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/owner": "${aws:username}" } } },
      NS,
      { "aws:username": "maria", "aws:ResourceTag/owner": "maria" },
      "Allow",
    ],
  ];
  for (const [name, version, statement, resource, k, effect] of cases) {
    test(name, () => assert.equal(evaluate([doc(version, statement)], request("iam:CreateAccessKey", resource, k)), effect));
  }
});

describe("condition operators", () => {
  const cases: Array<[operator: string, key: string, values: string[], request: Record<string, string | string[]>, holds: boolean]> = [
    ["StringEquals", "aws:RequestTag/team", ["payments"], { "aws:RequestTag/team": "payments" }, true],
    ["StringEquals", "aws:RequestTag/team", ["payments"], { "aws:RequestTag/team": "Payments" }, false],
    ["StringEquals", "aws:RequestTag/team", ["payments"], {}, false],
    ["StringNotEquals", "aws:RequestTag/team", ["payments"], { "aws:RequestTag/team": "search" }, true],
    ["StringNotEquals", "aws:RequestTag/team", ["payments"], {}, true],
    ["StringEqualsIgnoreCase", "aws:username", ["MARIA"], { "aws:username": "maria" }, true],
    ["StringLike", "aws:PrincipalArn", ["arn:aws:iam::*:user/dev/*"], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:user/dev/maria` }, true],
    ["StringNotLike", "aws:PrincipalArn", ["arn:aws:iam::*:user/dev/*"], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:user/ops/bob` }, true],
    ["StringEqualsIfExists", "aws:RequestTag/team", ["payments"], {}, true],
    ["StringEqualsIfExists", "aws:RequestTag/team", ["payments"], { "aws:RequestTag/team": "search" }, false],
    ["ArnLike", "aws:PrincipalArn", [`arn:aws:iam::${ACCOUNT}:role/*`], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/ops/Operator` }, true],
    ["ArnEquals", "servicediscovery:NamespaceArn", [NS], { "servicediscovery:NamespaceArn": NS }, true],
    ["ArnNotEquals", "servicediscovery:NamespaceArn", [NS], { "servicediscovery:NamespaceArn": SRV }, true],
    ["Bool", "aws:SecureTransport", ["true"], { "aws:SecureTransport": "false" }, false],
    ["Bool", "aws:SecureTransport", ["false"], { "aws:SecureTransport": "false" }, true],
    ["IpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "10.1.2.3" }, true],
    ["IpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "192.168.1.1" }, false],
    ["IpAddress", "aws:SourceIp", ["203.0.113.7"], { "aws:SourceIp": "203.0.113.7" }, true],
    ["IpAddress", "aws:SourceIp", ["2001:db8::/32"], { "aws:SourceIp": "2001:db8::1" }, true],
    ["NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "192.168.1.1" }, true],
    ["DateGreaterThan", "aws:CurrentTime", ["2020-01-01T00:00:00Z"], { "aws:CurrentTime": "2025-03-04T05:06:07Z" }, true],
    ["DateLessThan", "aws:CurrentTime", ["2020-01-01T00:00:00Z"], { "aws:CurrentTime": "2025-03-04T05:06:07Z" }, false],
    ["DateLessThanEquals", "aws:EpochTime", ["1741064767"], { "aws:EpochTime": "1741064767" }, true],
    ["NumericLessThan", "servicediscovery:Count", ["10"], { "servicediscovery:Count": "9" }, true],
    ["NumericGreaterThanEquals", "servicediscovery:Count", ["10"], { "servicediscovery:Count": "9" }, false],
    ["NumericEquals", "servicediscovery:Count", ["10"], { "servicediscovery:Count": "ten" }, false],
    ["Null", "aws:RequestTag/team", ["true"], {}, true],
    ["Null", "aws:RequestTag/team", ["false"], {}, false],
    ["Null", "aws:RequestTag/team", ["false"], { "aws:RequestTag/team": "x" }, true],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["team", "env"], { "aws:TagKeys": ["team", "env"] }, true],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["team"], { "aws:TagKeys": ["team", "env"] }, false],
    ["ForAllValues:StringEquals", "aws:TagKeys", ["team"], {}, true],
    ["ForAnyValue:StringEquals", "aws:TagKeys", ["env"], { "aws:TagKeys": ["team", "env"] }, true],
    ["ForAnyValue:StringEquals", "aws:TagKeys", ["owner"], { "aws:TagKeys": ["team", "env"] }, false],
    ["StringEquals", "AWS:USERNAME", ["maria"], { "aws:username": "maria" }, true],
  ];
  for (const [operator, key, values, req, holds] of cases) {
    test(`${operator} ${key} ${JSON.stringify(values)} on ${JSON.stringify(req)} → ${holds}`, () => {
      assert.equal(conditionHolds(operator, key, values, keys(req)), holds);
    });
  }
});

describe("policy grammar", () => {
  const malformed: Array<[string, string, "identity" | "trust", RegExp]> = [
    ["not JSON", "{", "identity", /invalid Json/],
    ["no Statement", JSON.stringify({ Version: "2012-10-17" }), "identity", /Statement/],
    ["bad Version", JSON.stringify({ Version: "2013-01-01", Statement: [] }), "identity", /legacy parsing/],
    ["bad Effect", JSON.stringify({ Statement: { Effect: "Maybe", Action: "*", Resource: "*" } }), "identity", /Effect/],
    ["no Action", JSON.stringify({ Statement: { Effect: "Allow", Resource: "*" } }), "identity", /actions/],
    ["no Resource", JSON.stringify({ Statement: { Effect: "Allow", Action: "*" } }), "identity", /resources/],
    ["Principal in an identity policy", JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" } }), "identity", /principal/],
    ["unknown condition operator", JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*", Condition: { Maybe: { a: "b" } } } }), "identity", /Invalid Condition type/],
    ["trust without Principal", JSON.stringify({ Statement: { Effect: "Allow", Action: "sts:AssumeRole" } }), "trust", /Principal/],
    ["trust with other actions", JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "servicediscovery:*" } }), "trust", /AssumeRole/],
  ];
  for (const [name, text, kind, message] of malformed) {
    test(`rejects ${name}`, () => assert.throws(() => parsePolicy(text, kind), (e: Error) => e instanceof PolicySyntaxError && message.test(e.message)));
  }
  test("accepts a single statement object and scalar fields", () => {
    const doc = parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "servicediscovery:*", Resource: "*" } }), "identity");
    assert.deepEqual(doc.statements[0]?.action, ["servicediscovery:*"]);
  });
});

describe("denial messages", () => {
  const user = `arn:aws:iam::${ACCOUNT}:user/dev/maria`;
  test("implicit deny names the resource", () =>
    assert.equal(
      denialMessage(user, "servicediscovery:RegisterInstance", SRV, { allowed: false, explicit: false, policyType: "identity-based" }),
      `User: ${user} is not authorized to perform: servicediscovery:RegisterInstance on resource: ${SRV} because no identity-based policy allows the servicediscovery:RegisterInstance action`,
    ));
  test("explicit deny", () =>
    assert.equal(
      denialMessage(user, "servicediscovery:DeleteService", SRV, { allowed: false, explicit: true, policyType: "identity-based" }),
      `User: ${user} is not authorized to perform: servicediscovery:DeleteService on resource: ${SRV} with an explicit deny in an identity-based policy`,
    ));
  test("permissions boundary", () =>
    assert.equal(
      denialMessage(user, "servicediscovery:CreateService", NS, { allowed: false, explicit: false, policyType: "permissions boundary" }),
      `User: ${user} is not authorized to perform: servicediscovery:CreateService on resource: ${NS} because no permissions boundary allows the servicediscovery:CreateService action`,
    ));
  test("no resource part for `*`", () =>
    assert.equal(
      denialMessage(user, "servicediscovery:ListNamespaces", "*", { allowed: false, explicit: false, policyType: "session" }),
      `User: ${user} is not authorized to perform: servicediscovery:ListNamespaces because no session policy allows the servicediscovery:ListNamespaces action`,
    ));
});
