import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { CreateHttpNamespaceCommand, ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { CreateRoleCommand, GetRoleCommand, ListUsersCommand, PutRolePolicyCommand, TagUserCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { expectError, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { allow, as, iam, sts, sessionCredentials, userWithPolicy } from "../support/identity.js";


function trust(principal: object): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });
}

async function recordOfCall(cairn: CairnProcess, eventName: string, accessKeyId: string): Promise<Record<string, unknown>> {
  const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: accessKeyId }] });
  const event = events.find((e) => e.EventName === eventName);
  assert.ok(event, `${eventName} by ${accessKeyId} is in Event history`);
  return recordOf(event);
}

const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe("STS sessions", () => {
  let cairn: CairnProcess;
  let roleId: string;
  let roleArn: string;
  let developer: Credentials;
  before(async () => {
    cairn = await startCairn();
    developer = await userWithPolicy(cairn, "developer", allow(["sts:AssumeRole", "sts:GetFederationToken", "sts:GetSessionToken", "servicediscovery:*"]));
    const { Role } = await iam(cairn).send(
      new CreateRoleCommand({ RoleName: "CloudMapOperator", Path: "/ops/", AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${cairn.accountId}:root` }) }),
    );
    roleId = Role!.RoleId!;
    roleArn = Role!.Arn!;
    await iam(cairn).send(new PutRolePolicyCommand({ RoleName: "CloudMapOperator", PolicyName: "cloudmap", PolicyDocument: JSON.stringify(allow("servicediscovery:*")) }));
  });
  after(async () => {
    await cairn.stop();
  });

  it("answers GetCallerIdentity for root and users, never denied", async () => {
    const root = await sts(cairn).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([root.UserId, root.Account, root.Arn], [cairn.accountId, cairn.accountId, `arn:aws:iam::${cairn.accountId}:root`]);
    const nobody = await userWithPolicy(cairn, "nobody", undefined);
    const user = await sts(as(cairn, nobody)).send(new GetCallerIdentityCommand({}));
    assert.match(user.UserId!, /^AIDA[A-Z0-9]{17}$/);
    assert.equal(user.Arn, `arn:aws:iam::${cairn.accountId}:user/nobody`);
    assert.equal(user.Account, cairn.accountId);
  });

  it("assumes a role whose trust policy names the account, and records the session's calls as AssumedRole", async () => {
    const assumed = await sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "deploy-bot", DurationSeconds: 900 }));
    const creds = sessionCredentials(assumed.Credentials);
    assert.match(creds.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(creds.sessionToken!.length > 200);
    assert.ok(assumed.Credentials!.Expiration! > new Date());
    const sessionArn = `arn:aws:sts::${cairn.accountId}:assumed-role/CloudMapOperator/deploy-bot`;
    assert.deepEqual(assumed.AssumedRoleUser, { AssumedRoleId: `${roleId}:deploy-bot`, Arn: sessionArn });

    const who = await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.UserId, who.Account, who.Arn], [`${roleId}:deploy-bot`, cairn.accountId, sessionArn]);

    await cloudMap(as(cairn, creds)).send(new CreateHttpNamespaceCommand({ Name: uniqueName("role") }));
    const record = await recordOfCall(cairn, "CreateHttpNamespace", creds.accessKeyId);
    const identity = record.userIdentity as Record<string, unknown>;
    const context = identity.sessionContext as { attributes: { creationDate: string } };
    assert.match(context.attributes.creationDate, ISO_SECONDS);
    assert.deepEqual(identity, {
      type: "AssumedRole",
      principalId: `${roleId}:deploy-bot`,
      arn: sessionArn,
      accountId: cairn.accountId,
      accessKeyId: creds.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: roleId, arn: roleArn, accountId: cairn.accountId, userName: "CloudMapOperator" },
        webIdFederationData: {},
        attributes: { creationDate: context.attributes.creationDate, mfaAuthenticated: "false" },
      },
    });

    const assumeRecord = await recordOfCall(cairn, "AssumeRole", developer.accessKeyId);
    assert.equal(assumeRecord.eventSource, "sts.amazonaws.com");
    assert.equal(assumeRecord.readOnly, true);
    assert.deepEqual(assumeRecord.requestParameters, { roleArn, roleSessionName: "deploy-bot", durationSeconds: 900 });
    const response = assumeRecord.responseElements as { credentials: Record<string, unknown>; assumedRoleUser: unknown };
    assert.deepEqual(Object.keys(response.credentials).sort(), ["accessKeyId", "expiration", "sessionToken"], "no secret in the trail");
    assert.deepEqual(response.assumedRoleUser, { assumedRoleId: `${roleId}:deploy-bot`, arn: sessionArn });
    const byRole = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: roleArn }] });
    const assumeEvent = byRole.find((e) => e.EventName === "AssumeRole");
    assert.deepEqual(
      assumeEvent?.Resources?.map((r) => [r.ResourceType, r.ResourceName]),
      [
        ["AWS::IAM::AccessKey", creds.accessKeyId],
        ["AWS::STS::AssumedRole", "deploy-bot"],
        ["AWS::STS::AssumedRole", `${roleId}:deploy-bot`],
        ["AWS::STS::AssumedRole", sessionArn],
        ["AWS::IAM::Role", roleArn],
      ],
    );
  });

  it("intersects the role's policies with a session policy", async () => {
    const policy = JSON.stringify(allow("servicediscovery:ListNamespaces"));
    const assumed = await sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "narrow", Policy: policy }));
    assert.ok(assumed.PackedPolicySize! > 0);
    const sd = cloudMap(as(cairn, sessionCredentials(assumed.Credentials)));
    assert.ok((await sd.send(new ListNamespacesCommand({}))).Namespaces);
    await expectError(
      sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("narrow") })),
      "AccessDeniedException",
      new RegExp(`^User: arn:aws:sts::${cairn.accountId}:assumed-role/CloudMapOperator/narrow is not authorized to perform: servicediscovery:CreateHttpNamespace because no session policy allows the servicediscovery:CreateHttpNamespace action$`),
    );
  });

  it("checks the trust policy, the caller's policies, session names and durations", async () => {
    const outsider = await userWithPolicy(cairn, "outsider", allow("servicediscovery:*"));
    await assert.rejects(sts(as(cairn, outsider)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "x1" })), (e: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, "AccessDenied");
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.match(e.message, /is not authorized to perform: sts:AssumeRole on resource: .* because no identity-based policy allows the sts:AssumeRole action$/);
      return true;
    });
    // A trust policy naming the user itself needs no identity policy.
    const { Role } = await iam(cairn).send(new CreateRoleCommand({ RoleName: "Direct", AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${cairn.accountId}:user/outsider` }) }));
    const direct = await sts(as(cairn, outsider)).send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: "direct" }));
    assert.equal(direct.AssumedRoleUser?.Arn, `arn:aws:sts::${cairn.accountId}:assumed-role/Direct/direct`);
    await assert.rejects(
      sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: "x2" })),
      /because no role trust policy allows the sts:AssumeRole action/,
    );
    await assert.rejects(sts(cairn).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "root" })), /Roles may not be assumed by root accounts\./);
    await assert.rejects(
      sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "long", DurationSeconds: 7200 })),
      (e: Error) => e.name === "ValidationError" && /exceeds the MaxSessionDuration set for this role/.test(e.message),
    );
    await assert.rejects(
      sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bad name!" })),
      (e: Error) => e.name === "ValidationError" && /roleSessionName/.test(e.message),
    );
    assert.equal((await iam(cairn).send(new GetRoleCommand({ RoleName: "Direct" }))).Role?.RoleName, "Direct");

    const external = await iam(cairn).send(
      new CreateRoleCommand({
        RoleName: "Partner",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${cairn.accountId}:user/outsider` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "s3cr3t-id" } } }],
        }),
      }),
    );
    await assert.rejects(sts(as(cairn, outsider)).send(new AssumeRoleCommand({ RoleArn: external.Role!.Arn!, RoleSessionName: "p1" })), /no role trust policy allows/);
    await assert.rejects(sts(as(cairn, outsider)).send(new AssumeRoleCommand({ RoleArn: external.Role!.Arn!, RoleSessionName: "p1", ExternalId: "wrong-id" })), /no role trust policy allows/);
    // Role chaining: a role session may assume a role that trusts its role, for at most an hour.
    const chained = await iam(cairn).send(new CreateRoleCommand({ RoleName: "Chained", AssumeRolePolicyDocument: trust({ AWS: roleArn }), MaxSessionDuration: 7200 }));
    const first = sessionCredentials((await sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "first" }))).Credentials);
    await assert.rejects(
      sts(as(cairn, first)).send(new AssumeRoleCommand({ RoleArn: chained.Role!.Arn!, RoleSessionName: "second", DurationSeconds: 7200 })),
      (e: Error) => e.name === "ValidationError" && /1 hour session limit for roles assumed by role chaining/.test(e.message),
    );
    const second = await sts(as(cairn, first)).send(new AssumeRoleCommand({ RoleArn: chained.Role!.Arn!, RoleSessionName: "second" }));
    assert.equal(second.AssumedRoleUser?.Arn, `arn:aws:sts::${cairn.accountId}:assumed-role/Chained/second`);
    await assert.rejects(sts(as(cairn, first)).send(new GetSessionTokenCommand({})), /Cannot call GetSessionToken with session credentials/);

    const partner = await sts(as(cairn, outsider)).send(new AssumeRoleCommand({ RoleArn: external.Role!.Arn!, RoleSessionName: "p1", ExternalId: "s3cr3t-id" }));
    assert.equal(partner.AssumedRoleUser?.Arn, `arn:aws:sts::${cairn.accountId}:assumed-role/Partner/p1`);
  });

  it("passes session tags only when the trust policy allows sts:TagSession, and policies match aws:PrincipalTag", async () => {
    const client = iam(cairn);
    const developerArn = `arn:aws:iam::${cairn.accountId}:user/developer`;
    const trustFor = (actions: string[]) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: developerArn }, Action: actions }] });
    const { Role } = await client.send(new CreateRoleCommand({ RoleName: "Tagged", AssumeRolePolicyDocument: trustFor(["sts:AssumeRole"]), Tags: [{ Key: "dept", Value: "ops" }] }));
    const abac = allow("servicediscovery:ListNamespaces", "*", { StringEquals: { "aws:PrincipalTag/team": "payments", "aws:PrincipalTag/dept": "ops" } });
    await client.send(new PutRolePolicyCommand({ RoleName: "Tagged", PolicyName: "abac", PolicyDocument: JSON.stringify(abac) }));
    const tagged = { RoleArn: Role!.Arn!, RoleSessionName: "tagged", Tags: [{ Key: "team", Value: "payments" }] };
    await assert.rejects(
      sts(as(cairn, developer)).send(new AssumeRoleCommand(tagged)),
      /is not authorized to perform: sts:TagSession on resource: .*role\/Tagged because no role trust policy allows the sts:TagSession action$/,
    );
    await client.send(new UpdateAssumeRolePolicyCommand({ RoleName: "Tagged", PolicyDocument: trustFor(["sts:AssumeRole", "sts:TagSession"]) }));
    const withTags = await sts(as(cairn, developer)).send(new AssumeRoleCommand(tagged));
    assert.ok(withTags.PackedPolicySize! > 0);
    assert.ok((await cloudMap(as(cairn, sessionCredentials(withTags.Credentials))).send(new ListNamespacesCommand({}))).Namespaces);
    const withoutTags = await sts(as(cairn, developer)).send(new AssumeRoleCommand({ RoleArn: Role!.Arn!, RoleSessionName: "plain" }));
    await expectError(cloudMap(as(cairn, sessionCredentials(withoutTags.Credentials))).send(new ListNamespacesCommand({})), "AccessDeniedException");

    const tagUser = await userWithPolicy(cairn, "tagged-user", allow("servicediscovery:ListNamespaces", "*", { StringEquals: { "aws:PrincipalTag/team": "payments" } }));
    await expectError(cloudMap(as(cairn, tagUser)).send(new ListNamespacesCommand({})), "AccessDeniedException");
    await client.send(new TagUserCommand({ UserName: "tagged-user", Tags: [{ Key: "team", Value: "payments" }] }));
    assert.ok((await cloudMap(as(cairn, tagUser)).send(new ListNamespacesCommand({}))).Namespaces, "the user's tags are its principal tags");
  });

  it("federates a user with the intersection of the broker's and the federation policy", async () => {
    const token = await sts(as(cairn, developer)).send(
      new GetFederationTokenCommand({ Name: "ana", Policy: JSON.stringify(allow("servicediscovery:ListNamespaces")), DurationSeconds: 900 }),
    );
    const arn = `arn:aws:sts::${cairn.accountId}:federated-user/ana`;
    assert.deepEqual(token.FederatedUser, { FederatedUserId: `${cairn.accountId}:ana`, Arn: arn });
    const creds = sessionCredentials(token.Credentials);
    const who = await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.UserId, who.Account, who.Arn], [`${cairn.accountId}:ana`, cairn.accountId, arn]);
    const sd = cloudMap(as(cairn, creds));
    await sd.send(new ListNamespacesCommand({}));
    await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("fed") })), "AccessDeniedException", /because no session policy allows/);
    const record = await recordOfCall(cairn, "ListNamespaces", creds.accessKeyId);
    const identity = record.userIdentity as Record<string, unknown>;
    const creationDate = (identity.sessionContext as { attributes: { creationDate: string } }).attributes.creationDate;
    assert.match(creationDate, ISO_SECONDS);
    const developerId = (await sts(as(cairn, developer)).send(new GetCallerIdentityCommand({}))).UserId;
    assert.deepEqual(identity, {
      type: "FederatedUser",
      principalId: `${cairn.accountId}:ana`,
      arn,
      accountId: cairn.accountId,
      accessKeyId: creds.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: "IAMUser", principalId: developerId, arn: `arn:aws:iam::${cairn.accountId}:user/developer`, accountId: cairn.accountId, userName: "developer" },
        webIdFederationData: {},
        attributes: { creationDate, mfaAuthenticated: "false" },
      },
    });
    await assert.rejects(sts(as(cairn, creds)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "chain" })), (e: Error) => e.name === "AccessDenied");

    const bare = sessionCredentials((await sts(as(cairn, developer)).send(new GetFederationTokenCommand({ Name: "bare" }))).Credentials);
    await expectError(cloudMap(as(cairn, bare)).send(new ListNamespacesCommand({})), "AccessDeniedException", /because no session policy allows/);
  });

  it("issues session tokens to users, recorded as IAMUser with an empty session issuer", async () => {
    const token = await sts(as(cairn, developer)).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const creds = sessionCredentials(token.Credentials);
    await cloudMap(as(cairn, creds)).send(new ListNamespacesCommand({}));
    const identity = (await recordOfCall(cairn, "ListNamespaces", creds.accessKeyId)).userIdentity as Record<string, unknown>;
    assert.equal(identity.type, "IAMUser");
    assert.equal(identity.userName, "developer");
    assert.equal(identity.accessKeyId, creds.accessKeyId);
    const context = identity.sessionContext as { sessionIssuer: object; webIdFederationData: object; attributes: { mfaAuthenticated: string } };
    assert.deepEqual(context.sessionIssuer, {});
    assert.deepEqual(context.webIdFederationData, {});
    assert.equal(context.attributes.mfaAuthenticated, "false");
    await assert.rejects(sts(as(cairn, creds)).send(new GetSessionTokenCommand({})), /Cannot call GetSessionToken with session credentials/);
    await assert.rejects(iam(as(cairn, creds)).send(new ListUsersCommand({})), (e: Error) => e.name === "InvalidClientTokenId");
  });
});

describe("STS credentials expire", () => {
  let cairn: CairnProcess;
  before(async () => {
    // The documented way to get short sessions: lower the minimum DurationSeconds.
    cairn = await startCairn({ env: { CAIRN_LIMIT_STS_MIN_DURATION_SECONDS: "1" } });
  });
  after(async () => {
    await cairn.stop();
  });

  it("refuses expired temporary credentials with each protocol's error", async () => {
    const creds = sessionCredentials((await sts(cairn).send(new GetSessionTokenCommand({ DurationSeconds: 1 }))).Credentials);
    const who = await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${cairn.accountId}:root`);
    const record = await recordOfCall(cairn, "GetCallerIdentity", creds.accessKeyId);
    assert.equal((record.userIdentity as { type: string }).type, "Root");
    assert.deepEqual((record.userIdentity as { sessionContext: { sessionIssuer: object } }).sessionContext.sessionIssuer, {});
    await sleep(2100);
    await expectError(cloudMap(as(cairn, creds)).send(new ListNamespacesCommand({})), "ExpiredTokenException", /The security token included in the request is expired/);
    await assert.rejects(sts(as(cairn, creds)).send(new GetCallerIdentityCommand({})), (e: Error) => e.name === "ExpiredToken");
    await assert.rejects(
      sts(as(cairn, { ...creds, sessionToken: "forged" })).send(new GetCallerIdentityCommand({})),
      (e: Error) => e.name === "InvalidClientTokenId",
    );
  });
});
