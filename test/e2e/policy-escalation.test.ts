/**
 * Attacks on policy evaluation itself (issue 14, points 2 and 5): escaping a session policy or a permissions
 * boundary through role chaining, freezing the server with a backtracking wildcard pattern, and storing condition
 * values the evaluator cannot read.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateHttpNamespaceCommand, ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetUserPolicyCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { uniqueName } from "../support/cloudmap.js";
import { allow, as, iam, sts, sessionCredentials, userWithPolicy } from "../support/identity.js";
import { openTestStore } from "../support/stores.js";

const trust = (principal: object): string => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });

async function rejectsWith(call: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(call, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe("policy escalation", () => {
  let cairn: CairnProcess;
  let account: string;
  let developer: Credentials;
  before(async () => {
    cairn = await startCairn();
    account = cairn.accountId;
    developer = await userWithPolicy(cairn, "developer", allow("sts:AssumeRole"));
  });
  after(async () => {
    await cairn.stop();
  });

  async function role(name: string, trustPolicy: string, policy?: object, boundaryArn?: string): Promise<string> {
    const { Role } = await iam(cairn).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy, PermissionsBoundary: boundaryArn }));
    if (policy) await iam(cairn).send(new PutRolePolicyCommand({ RoleName: name, PolicyName: "inline", PolicyDocument: JSON.stringify(policy) }));
    return Role!.Arn!;
  }

  it("keeps a chained AssumeRole inside the caller's session policy and permissions boundary", async () => {
    const root = { AWS: `arn:aws:iam::${account}:root` };
    const hopArn = await role("Hop", trust(root), allow(["sts:AssumeRole", "servicediscovery:*"]));
    const { Policy: boundary } = await iam(cairn).send(new CreatePolicyCommand({ PolicyName: "CloudMapOnly", PolicyDocument: JSON.stringify(allow("servicediscovery:*")) }));
    const boundedArn = await role("BoundedHop", trust(root), allow(["sts:AssumeRole", "servicediscovery:*"]), boundary!.Arn!);
    // The prize: a role that trusts both hop roles by their role ARN and may do anything in IAM.
    const adminArn = await role("IamAdmin", trust({ AWS: [hopArn, boundedArn] }), allow("iam:*"));

    const narrow = await sts(as(cairn, developer)).send(
      new AssumeRoleCommand({ RoleArn: hopArn, RoleSessionName: "narrow", Policy: JSON.stringify(allow("servicediscovery:List*")) }),
    );
    const narrowCreds = sessionCredentials(narrow.Credentials);
    await rejectsWith(
      sts(as(cairn, narrowCreds)).send(new AssumeRoleCommand({ RoleArn: adminArn, RoleSessionName: "escalated" })),
      "AccessDenied",
      403,
      new RegExp(`^User: arn:aws:sts::${account}:assumed-role/Hop/narrow is not authorized to perform: sts:AssumeRole on resource: ${adminArn} because no session policy allows the sts:AssumeRole action$`),
    );

    const bounded = await sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: boundedArn, RoleSessionName: "bounded" }));
    await rejectsWith(
      sts(as(cairn, sessionCredentials(bounded.Credentials))).send(new AssumeRoleCommand({ RoleArn: adminArn, RoleSessionName: "escalated" })),
      "AccessDenied",
      403,
      /because no permissions boundary allows the sts:AssumeRole action$/,
    );

    // Unconstrained, the same chain works: the trust policy's grant to the role ARN needs no more.
    const wide = await sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: hopArn, RoleSessionName: "wide" }));
    const admin = await sts(as(cairn, sessionCredentials(wide.Credentials))).send(new AssumeRoleCommand({ RoleArn: adminArn, RoleSessionName: "chained" }));
    assert.ok((await iam(as(cairn, sessionCredentials(admin.Credentials))).send(new ListUsersCommand({}))).Users);

    // A grant naming the session itself is the session's own (IAM User Guide, "Session policies").
    await iam(cairn).send(new UpdateAssumeRolePolicyCommand({ RoleName: "IamAdmin", PolicyDocument: trust({ AWS: `arn:aws:sts::${account}:assumed-role/Hop/narrow` }) }));
    const direct = await sts(as(cairn, narrowCreds)).send(new AssumeRoleCommand({ RoleArn: adminArn, RoleSessionName: "named" }));
    assert.equal(direct.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/IamAdmin/named`);
  });

  it("matches a 25-star pattern against a long value without stalling the server", async () => {
    // Backtracking regexes take exponential time on `*a*a…*b` against `aaa…a`.
    const pattern = `${"*a".repeat(24)}*b`;
    // Creating with tags also needs TagResource, as in AWS.
    const actions = ["servicediscovery:CreateHttpNamespace", "servicediscovery:TagResource"];
    const attacker = await userWithPolicy(cairn, "globber", allow(actions, "*", { StringLike: { "aws:RequestTag/team": pattern } }));
    const started = Date.now();
    const attack = rejectsWith(
      cloudMap(as(cairn, attacker)).send(new CreateHttpNamespaceCommand({ Name: uniqueName("glob"), Tags: [{ Key: "team", Value: "a".repeat(256) }] }), {
        abortSignal: AbortSignal.timeout(5_000),
      }),
      "AccessDeniedException",
      400,
      /because no identity-based policy allows the servicediscovery:CreateHttpNamespace action$/,
    );
    // Another caller is answered meanwhile.
    const bystander = await cloudMap(cairn).send(new ListNamespacesCommand({}), { abortSignal: AbortSignal.timeout(5_000) });
    assert.ok(bystander.Namespaces);
    await attack;
    assert.ok(Date.now() - started < 2_000, `answered in ${Date.now() - started} ms`);

    // The same pattern still matches what it should.
    const created = await cloudMap(as(cairn, attacker)).send(
      new CreateHttpNamespaceCommand({ Name: uniqueName("glob"), Tags: [{ Key: "team", Value: `${"a".repeat(255)}b` }] }),
      { abortSignal: AbortSignal.timeout(5_000) },
    );
    assert.ok(created.OperationId);
  });

  it("refuses malformed condition values when a policy is stored", async () => {
    const target = await userWithPolicy(cairn, "target", undefined);
    assert.ok(target.accessKeyId);
    const bad: Array<[string, string, string]> = [
      ["IpAddress", "aws:SourceIp", "10.0.0.0/33"],
      ["NotIpAddress", "aws:SourceIp", "10.0.0.0/-1"],
      ["IpAddress", "aws:SourceIp", "192.0.2.1/"],
      ["IpAddress", "aws:SourceIp", "2001:db8::/129"],
      ["IpAddress", "aws:SourceIp", "not-an-ip"],
      ["NumericLessThan", "aws:MultiFactorAuthAge", "ten"],
      ["DateGreaterThan", "aws:CurrentTime", "yesterday"],
    ];
    for (const [operator, key, value] of bad) {
      const policy = allow("servicediscovery:*", "*", { [operator]: { [key]: value } });
      await rejectsWith(
        iam(cairn).send(new PutUserPolicyCommand({ UserName: "target", PolicyName: "bad", PolicyDocument: JSON.stringify(policy) })),
        "MalformedPolicyDocumentException",
        400,
        /^Syntax errors in policy\./,
      );
    }
    await rejectsWith(iam(cairn).send(new GetUserPolicyCommand({ UserName: "target", PolicyName: "bad" })), "NoSuchEntityException", 404);

    const badIp = { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } };
    await rejectsWith(
      iam(cairn).send(new CreatePolicyCommand({ PolicyName: "BadManaged", PolicyDocument: JSON.stringify(allow("*", "*", badIp)) })),
      "MalformedPolicyDocumentException",
      400,
    );
    const badTrust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: account }, Action: "sts:AssumeRole", Condition: badIp }] });
    await rejectsWith(iam(cairn).send(new CreateRoleCommand({ RoleName: "BadTrust", AssumeRolePolicyDocument: badTrust })), "MalformedPolicyDocumentException", 400);
    const target2 = await role("SessionTarget", trust({ AWS: account }), allow("servicediscovery:*"));
    await rejectsWith(
      sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: target2, RoleSessionName: "bad", Policy: JSON.stringify(allow("*", "*", badIp)) })),
      "MalformedPolicyDocumentException",
      400,
    );
    // A well-formed policy is still accepted and the server is still answering.
    const good = allow("servicediscovery:*", "*", { IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "::1/128"] } });
    await iam(cairn).send(new PutUserPolicyCommand({ UserName: "target", PolicyName: "good", PolicyDocument: JSON.stringify(good) }));
    assert.ok((await iam(cairn).send(new GetUserPolicyCommand({ UserName: "target", PolicyName: "good" }))).PolicyDocument);
  });

  it("fails closed on a malformed value stored before the checks, never answering 500", async () => {
    // Written straight into the store, as an older Cairn would have accepted them.
    const plain = await userWithPolicy(cairn, "legacy-allow", undefined);
    const denied = await userWithPolicy(cairn, "legacy-deny", undefined);
    const store = await openTestStore(cairn.store);
    try {
      await store.transaction(async (tx) => {
        const put = (user: string, policy: object) =>
          tx.iam.putInlinePolicy(account, { kind: "user", name: user }, { policyName: "legacy", document: JSON.stringify(policy) });
        await put("legacy-allow", allow("servicediscovery:ListNamespaces", "*", { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } }));
        await put("legacy-deny", {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "servicediscovery:*", Resource: "*" },
            { Effect: "Deny", Action: "servicediscovery:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.1/" } } },
          ],
        });
      });
    } finally {
      await store.close();
    }
    await rejectsWith(
      cloudMap(as(cairn, plain)).send(new ListNamespacesCommand({})),
      "AccessDeniedException",
      400,
      /because no identity-based policy allows the servicediscovery:ListNamespaces action$/,
    );
    await rejectsWith(cloudMap(as(cairn, denied)).send(new ListNamespacesCommand({})), "AccessDeniedException", 400, /with an explicit deny in an identity-based policy$/);
  });

  it("matches ArnLike per ARN component: a wildcard in one component never reaches across a colon", async () => {
    // `arn:aws:iam::*` has five components: as AWS matches ARNs, it names no principal, so it allows nothing.
    const spanning = await userWithPolicy(cairn, "spanner", allow("servicediscovery:ListNamespaces", "*", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*" } }));
    await rejectsWith(
      cloudMap(as(cairn, spanning)).send(new ListNamespacesCommand({})),
      "AccessDeniedException",
      400,
      /because no identity-based policy allows the servicediscovery:ListNamespaces action$/,
    );
    const perComponent = await userWithPolicy(cairn, "componentwise", allow("servicediscovery:ListNamespaces", "*", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } }));
    assert.ok((await cloudMap(as(cairn, perComponent)).send(new ListNamespacesCommand({}))).Namespaces);
  });
});
