import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { conditionHolds, type ConditionKeys } from "../../src/auth/conditions.js";
import {
  authorize,
  denialMessage,
  evaluate,
  resourcePolicyCaller,
  type AuthorizationInput,
  type CallerForResourcePolicy,
  type EvaluationRequest,
  type PolicyType,
  type Verdict,
} from "../../src/auth/evaluate.js";
import { parsePolicy, PolicySyntaxError, type PolicyDocument } from "../../src/auth/policy.js";

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
  const user = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/maria` };
  const allowAssume = identity({ Effect: "Allow", Action: "sts:AssumeRole", Resource: role });
  const cases: Array<{ name: string; principal: object; identity: boolean; caller?: CallerForResourcePolicy; allowed: boolean; policyType?: string }> = [
    { name: "trust names the user: no identity policy needed", principal: { AWS: user.arn }, identity: false, allowed: true },
    { name: "trust names the account: identity policy needed", principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, identity: false, allowed: false, policyType: "identity-based" },
    { name: "trust names the account id and identity allows", principal: { AWS: ACCOUNT }, identity: true, allowed: true },
    { name: "trust names someone else", principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, identity: true, allowed: false, policyType: "role trust" },
    { name: "a service principal", principal: { Service: "ecs.amazonaws.com" }, identity: false, caller: { accountId: ACCOUNT, service: "ecs.amazonaws.com" }, allowed: true },
    { name: "another service", principal: { Service: "ecs.amazonaws.com" }, identity: false, caller: { accountId: ACCOUNT, service: "lambda.amazonaws.com" }, allowed: false, policyType: "role trust" },
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
      { Effect: "Deny", Principal: { AWS: user.arn }, Action: "sts:AssumeRole" },
    );
    const verdict = authorize({ isRoot: false, identity: [allowAssume], resourcePolicy: { policy, kind: "role trust", caller: user } }, assume);
    assert.deepEqual(verdict, { allowed: false, explicit: true, policyType: "role trust" });
  });
});

describe("role chaining: whom a trust policy names decides what else must allow (IAM User Guide, Session policies)", () => {
  const target = `arn:aws:iam::${ACCOUNT}:role/Admin`;
  const hopRole = `arn:aws:iam::${ACCOUNT}:role/ops/Hop`;
  const hopSession = `arn:aws:sts::${ACCOUNT}:assumed-role/Hop/narrow`;
  const fedUser = `arn:aws:sts::${ACCOUNT}:federated-user/temp`;
  const issuingUser = `arn:aws:iam::${ACCOUNT}:user/maria`;
  const roleSession: CallerForResourcePolicy = { accountId: ACCOUNT, arn: hopSession, issuerArn: hopRole };
  const federated: CallerForResourcePolicy = { accountId: ACCOUNT, arn: fedUser, issuerArn: issuingUser };
  const allowAssume = identity({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" });
  const listOnly = identity({ Effect: "Allow", Action: "servicediscovery:List*", Resource: "*" });
  const denyAssume = identity({ Effect: "Deny", Action: "sts:AssumeRole", Resource: target });
  const trusting = (aws: string | string[]) => trust({ Effect: "Allow", Principal: { AWS: aws }, Action: "sts:AssumeRole" });
  type Case = {
    name: string;
    trusts: string | string[];
    caller?: CallerForResourcePolicy;
    identity?: PolicyDocument[];
    boundary?: PolicyDocument;
    session?: PolicyDocument[];
    verdict: Verdict;
  };
  const ok: Verdict = { allowed: true };
  const implicit = (policyType: PolicyType): Verdict => ({ allowed: false, explicit: false, policyType });
  const explicit = (policyType: PolicyType): Verdict => ({ allowed: false, explicit: true, policyType });
  const cases: Case[] = [
    // Trust names the role ARN: no identity allow needed, but the boundary and the session policies bound it.
    { name: "role ARN, nothing else", trusts: hopRole, verdict: ok },
    { name: "role ARN, session policy without the action", trusts: hopRole, identity: [allowAssume], session: [listOnly], verdict: implicit("session") },
    { name: "role ARN, session policy allowing the action", trusts: hopRole, session: [allowAssume], verdict: ok },
    { name: "role ARN, empty session policy list", trusts: hopRole, session: [], verdict: implicit("session") },
    { name: "role ARN, boundary without the action", trusts: hopRole, identity: [allowAssume], boundary: listOnly, verdict: implicit("permissions boundary") },
    { name: "role ARN, boundary allowing the action", trusts: hopRole, boundary: allowAssume, verdict: ok },
    { name: "role ARN, boundary and session both allow", trusts: hopRole, boundary: allowAssume, session: [allowAssume], verdict: ok },
    { name: "role ARN, identity deny", trusts: hopRole, identity: [denyAssume], verdict: explicit("identity-based") },
    // Trust names the session ARN: the grant is the session's own.
    { name: "session ARN, session policy without the action", trusts: hopSession, session: [listOnly], verdict: ok },
    { name: "session ARN, boundary without the action", trusts: hopSession, boundary: listOnly, verdict: ok },
    { name: "session ARN, explicit deny in the session policy", trusts: hopSession, session: [allowAssume, denyAssume], verdict: explicit("session") },
    { name: "session ARN, explicit deny in the boundary", trusts: hopSession, boundary: denyAssume, verdict: explicit("permissions boundary") },
    { name: "session and role ARN both named: the session's grant wins", trusts: [hopRole, hopSession], session: [listOnly], verdict: ok },
    // Trust names the account: every policy of the caller must allow.
    { name: "account, identity allows", trusts: ACCOUNT, identity: [allowAssume], verdict: ok },
    { name: "account, no identity allow", trusts: ACCOUNT, session: [allowAssume], verdict: implicit("identity-based") },
    { name: "account, session policy without the action", trusts: ACCOUNT, identity: [allowAssume], session: [listOnly], verdict: implicit("session") },
    { name: "account, boundary without the action", trusts: ACCOUNT, identity: [allowAssume], boundary: listOnly, verdict: implicit("permissions boundary") },
    // Another role's ARN names nobody here.
    { name: "another role", trusts: `arn:aws:iam::${ACCOUNT}:role/Other`, identity: [allowAssume], verdict: implicit("role trust") },
    // Federated users (GetFederationToken): the issuing user's ARN is bounded like a role's, their own ARN is not.
    { name: "federated: issuing user's ARN, session policy without the action", trusts: issuingUser, caller: federated, session: [listOnly], verdict: implicit("session") },
    { name: "federated: issuing user's ARN, session policy allowing it", trusts: issuingUser, caller: federated, session: [allowAssume], verdict: ok },
    { name: "federated: own ARN, session policy without the action", trusts: fedUser, caller: federated, session: [listOnly], verdict: ok },
    // An IAM user (or its GetSessionToken session) named by ARN: not limited by its boundary.
    { name: "IAM user ARN, boundary without the action", trusts: issuingUser, caller: { accountId: ACCOUNT, arn: issuingUser }, boundary: listOnly, verdict: ok },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const input: AuthorizationInput = {
        isRoot: false,
        identity: c.identity ?? [],
        resourcePolicy: { policy: trusting(c.trusts), kind: "role trust", caller: c.caller ?? roleSession },
      };
      if (c.boundary) input.boundary = c.boundary;
      if (c.session) input.session = c.session;
      assert.deepEqual(authorize(input, request("sts:AssumeRole", target)), c.verdict);
    });
  }
  const notPrincipalDeny = (listed: string[]) =>
    trust({ Effect: "Allow", Principal: { AWS: hopRole }, Action: "sts:AssumeRole" }, { Effect: "Deny", NotPrincipal: { AWS: listed }, Action: "sts:AssumeRole" });
  const notPrincipalCases: Array<[name: string, listed: string[], verdict: Verdict]> = [
    ["a Deny with NotPrincipal listing only the role still denies its session", [hopRole], explicit("role trust")],
    ["a Deny with NotPrincipal listing only the account still denies the session", [`arn:aws:iam::${ACCOUNT}:root`], explicit("role trust")],
    ["a Deny with NotPrincipal listing the session ARN leaves it out", [hopRole, hopSession], ok],
  ];
  for (const [name, listed, verdict] of notPrincipalCases) {
    test(name, () =>
      assert.deepEqual(
        authorize({ isRoot: false, identity: [], resourcePolicy: { policy: notPrincipalDeny(listed), kind: "role trust", caller: roleSession } }, request("sts:AssumeRole", target)),
        verdict,
      ));
  }
  test("the caller of a role session is its session ARN, with its role as issuer", () => {
    const principal = {
      type: "AssumedRole",
      accountId: ACCOUNT,
      arn: hopSession,
      principalId: "AROAEXAMPLE:narrow",
      accessKeyId: "ASIAEXAMPLE",
      roleName: "Hop",
      roleArn: hopRole,
      sessionName: "narrow",
      session: { origin: "AssumeRole", creationDate: "2026-01-01T00:00:00Z", mfaAuthenticated: false },
    } as const;
    assert.deepEqual(resourcePolicyCaller(principal), roleSession);
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
    // Each of the six components is matched on its own: a wildcard never spans a colon.
    ["ArnLike", "aws:PrincipalArn", ["arn:aws:iam::*"], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/x` }, false],
    ["ArnLike", "aws:PrincipalArn", ["arn:aws:*:role/x"], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/x` }, false],
    ["ArnLike", "aws:PrincipalArn", ["arn:aws:*:*:*:role/x"], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/x` }, true],
    ["ArnLike", "aws:SourceArn", ["arn:aws:servicediscovery:us-east-1:*:service/*"], { "aws:SourceArn": `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/a:b` }, true],
    ["ArnLike", "aws:SourceArn", ["arn:aws:servicediscovery:*:*:*"], { "aws:SourceArn": "not-an-arn" }, false],
    ["ArnNotLike", "aws:PrincipalArn", ["arn:aws:iam::*"], { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/x` }, true],
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

describe("malformed condition values", () => {
  const policyWith = (effect: string, operator: string, value: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: effect, Action: "servicediscovery:*", Resource: "*", Condition: { [operator]: { "aws:SourceIp": value } } }] });
  const refused: Array<[operator: string, value: string]> = [
    ["IpAddress", "10.0.0.0/33"],
    ["IpAddress", "10.0.0.0/-1"],
    ["IpAddress", "192.0.2.1/"],
    ["IpAddress", "192.0.2.1/8/8"],
    ["NotIpAddress", "2001:db8::/129"],
    ["IpAddress", "fe80::1%eth0"],
    ["IpAddress", "10.0.0"],
    ["NumericLessThan", "ten"],
    ["NumericEquals", "0x10"],
    ["NumericEquals", ""],
    ["DateGreaterThan", "yesterday"],
    ["DateLessThan", "2020-13-45T00:00:00Z"],
    ["ForAnyValue:DateEqualsIfExists", "March 7 2020"],
  ];
  for (const [operator, value] of refused) {
    test(`refuses ${operator} ${JSON.stringify(value)} when stored`, () =>
      assert.throws(
        () => parsePolicy(policyWith("Allow", operator, value), "identity"),
        (e: Error) => e instanceof PolicySyntaxError && e.message.startsWith("Syntax errors in policy. Invalid value"),
      ));
  }
  const accepted: Array<[operator: string, value: string]> = [
    ["IpAddress", "10.0.0.0/8"],
    ["IpAddress", "0.0.0.0/0"],
    ["IpAddress", "203.0.113.7"],
    ["NotIpAddress", "2001:db8::/32"],
    ["NumericLessThan", "-1.5"],
    ["DateGreaterThan", "2020-01-01"],
    ["DateGreaterThan", "2020-01-01T00:00:00.123+01:00"],
    ["DateGreaterThan", "1577836800"],
    ["IpAddress", "${aws:PrincipalTag/cidr}"],
  ];
  for (const [operator, value] of accepted) {
    test(`accepts ${operator} ${JSON.stringify(value)}`, () => assert.ok(parsePolicy(policyWith("Allow", operator, value), "identity")));
  }

  // A document stored before the check, or a policy variable's value, fails closed at evaluation.
  const stored = (effect: string, operator: string, value: string) => parsePolicy(policyWith(effect, operator, value), "identity", { checkValues: false });
  const fromHere = request("servicediscovery:ListNamespaces", "*", { "aws:SourceIp": "10.1.2.3" });
  const closed: Array<[effect: string, operator: string, value: string, result: "Allow" | "Deny" | "None"]> = [
    ["Allow", "IpAddress", "10.0.0.0/33", "None"],
    ["Allow", "NotIpAddress", "10.0.0.0/33", "None"],
    ["Allow", "IpAddress", "192.0.2.1/", "None"],
    ["Deny", "IpAddress", "10.0.0.0/33", "Deny"],
    ["Deny", "NotIpAddress", "192.0.2.1/", "Deny"],
    ["Allow", "NumericNotEquals", "ten", "None"],
    ["Deny", "DateLessThan", "yesterday", "Deny"],
  ];
  for (const [effect, operator, value, result] of closed) {
    test(`a stored ${effect} with ${operator} ${JSON.stringify(value)} → ${result}`, () => assert.equal(evaluate([stored(effect, operator, value)], fromHere), result));
  }
  test("a policy variable whose value is no CIDR fails closed", () => {
    const doc = parsePolicy(policyWith("Allow", "NotIpAddress", "${aws:PrincipalTag/cidr}"), "identity");
    const k = { "aws:SourceIp": "10.1.2.3", "aws:PrincipalTag/cidr": "10.0.0.0/99" };
    assert.equal(evaluate([doc], request("servicediscovery:ListNamespaces", "*", k)), "None");
    assert.equal(conditionHolds("NotIpAddress", "aws:SourceIp", ["10.0.0.0/99"], keys(k)), undefined);
  });
});
