/**
 * Attacks on IAM's condition keys, dependent actions and STS's session rules (issue 14, points 4, 6, 7): each
 * test is what a limited user or session would try, and what AWS refuses.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { CreateTrailCommand, UpdateTrailCommand } from "@aws-sdk/client-cloudtrail";
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRolePolicyCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  GetServiceCommand,
  ListInstancesCommand,
  RegisterInstanceCommand,
} from "@aws-sdk/client-servicediscovery";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { allow, as, iam, signedQueryRequest, sts, sessionCredentials, userWithPolicy } from "../support/identity.js";
import { send, signedPost } from "../support/raw.js";


function policy(...statements: object[]): object {
  return { Version: "2012-10-17", Statement: statements };
}

function trust(principal: object, actions: string[] = ["sts:AssumeRole"], condition?: object): string {
  return JSON.stringify(policy({ Effect: "Allow", Principal: principal, Action: actions, ...(condition ? { Condition: condition } : {}) }));
}

async function recordOfCall(cairn: CairnProcess, eventName: string, accessKeyId: string): Promise<Record<string, any>> {
  const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: accessKeyId }] });
  const event = events.find((e) => e.EventName === eventName);
  assert.ok(event, `${eventName} by ${accessKeyId} is in Event history`);
  return recordOf(event);
}

describe("condition keys that AWS fills in bite", () => {
  let cairn: CairnProcess;
  let adminPolicyArn: string;
  let readPolicyArn: string;
  let boundaryArn: string;
  before(async () => {
    cairn = await startCairn();
    fs.mkdirSync(path.join(cairn.dataDir, "buckets", "audit-bucket"), { recursive: true });
    const root = iam(cairn);
    adminPolicyArn = (await root.send(new CreatePolicyCommand({ PolicyName: "Admin", PolicyDocument: JSON.stringify(allow("*")) }))).Policy!.Arn!;
    readPolicyArn = (await root.send(new CreatePolicyCommand({ PolicyName: "Read", PolicyDocument: JSON.stringify(allow("servicediscovery:Get*")) }))).Policy!.Arn!;
    boundaryArn = (await root.send(new CreatePolicyCommand({ PolicyName: "Boundary", PolicyDocument: JSON.stringify(allow("servicediscovery:*")) }))).Policy!.Arn!;
  });
  after(async () => {
    await cairn.stop();
  });

  it("a Deny on iam:PolicyARN keeps a helpdesk user from attaching the admin policy to itself", async () => {
    const helpdesk = await userWithPolicy(
      cairn,
      "helpdesk",
      policy(
        { Effect: "Allow", Action: "iam:AttachUserPolicy", Resource: "*" },
        { Effect: "Deny", Action: "iam:AttachUserPolicy", Resource: "*", Condition: { ArnEquals: { "iam:PolicyARN": adminPolicyArn } } },
      ),
    );
    await expectError(iam(as(cairn, helpdesk)).send(new AttachUserPolicyCommand({ UserName: "helpdesk", PolicyArn: adminPolicyArn })), "AccessDenied", /explicit deny/);
    await iam(as(cairn, helpdesk)).send(new AttachUserPolicyCommand({ UserName: "helpdesk", PolicyArn: readPolicyArn }));
  });

  it("iam:PermissionsBoundary: a user allowed to create users only with a boundary can do so, and never without", async () => {
    const creator = await userWithPolicy(
      cairn,
      "creator",
      allow(["iam:CreateUser", "iam:PutUserPermissionsBoundary"], "*", { StringEquals: { "iam:PermissionsBoundary": boundaryArn } }),
    );
    const client = iam(as(cairn, creator));
    await client.send(new CreateUserCommand({ UserName: "bounded", PermissionsBoundary: boundaryArn }));
    await expectError(client.send(new CreateUserCommand({ UserName: "unbounded" })), "AccessDenied");
    await expectError(client.send(new PutUserPermissionsBoundaryCommand({ UserName: "bounded", PermissionsBoundary: adminPolicyArn })), "AccessDenied");
    await client.send(new PutUserPermissionsBoundaryCommand({ UserName: "bounded", PermissionsBoundary: boundaryArn }));

    // A delegate who may only touch bounded roles cannot open an unbounded admin role's trust policy.
    const trustEveryone = trust({ AWS: cairn.accountId });
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "BoundedRole", AssumeRolePolicyDocument: trustEveryone, PermissionsBoundary: boundaryArn }));
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "AdminRole", AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${cairn.accountId}:user/creator` }) }));
    const delegate = await userWithPolicy(cairn, "delegate", allow("iam:UpdateAssumeRolePolicy", "*", { StringEquals: { "iam:PermissionsBoundary": boundaryArn } }));
    await iam(as(cairn, delegate)).send(new UpdateAssumeRolePolicyCommand({ RoleName: "BoundedRole", PolicyDocument: trustEveryone }));
    await expectError(iam(as(cairn, delegate)).send(new UpdateAssumeRolePolicyCommand({ RoleName: "AdminRole", PolicyDocument: trustEveryone })), "AccessDenied");
  });

  it("iam:ResourceTag of a role: a Deny on protected roles bites", async () => {
    await iam(cairn).send(new CreateRoleCommand({ RoleName: "Protected", AssumeRolePolicyDocument: trust({ AWS: cairn.accountId }), Tags: [{ Key: "protected", Value: "true" }] }));
    await iam(cairn).send(new PutRolePolicyCommand({ RoleName: "Protected", PolicyName: "p", PolicyDocument: JSON.stringify(allow("servicediscovery:*")) }));
    const operator = await userWithPolicy(
      cairn,
      "operator",
      policy(
        { Effect: "Allow", Action: "iam:*", Resource: "*" },
        { Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { StringEquals: { "iam:ResourceTag/protected": "true" } } },
      ),
    );
    await expectError(iam(as(cairn, operator)).send(new DeleteRolePolicyCommand({ RoleName: "Protected", PolicyName: "p" })), "AccessDenied", /explicit deny/);
  });

  it("creating with tags also needs the tagging action (Cloud Map, IAM, CloudTrail)", async () => {
    const creator = await userWithPolicy(cairn, "tag-creator", allow(["servicediscovery:CreateHttpNamespace", "iam:CreateRole", "cloudtrail:CreateTrail"]));
    const tags = [{ Key: "team", Value: "ops" }];
    await expectError(cloudMap(as(cairn, creator)).send(new CreateHttpNamespaceCommand({ Name: uniqueName("tagged"), Tags: tags })), "AccessDeniedException", /servicediscovery:TagResource/);
    await expectError(
      iam(as(cairn, creator)).send(new CreateRoleCommand({ RoleName: "Tagged", AssumeRolePolicyDocument: trust({ AWS: cairn.accountId }), Tags: tags })),
      "AccessDenied",
      /iam:TagRole/,
    );
    await expectError(
      cloudTrail(as(cairn, creator)).send(new CreateTrailCommand({ Name: "tagged", S3BucketName: "audit-bucket", TagsList: tags })),
      "AccessDeniedException",
      /cloudtrail:AddTags/,
    );
    // Without tags the same calls succeed.
    await cloudMap(as(cairn, creator)).send(new CreateHttpNamespaceCommand({ Name: uniqueName("untagged") }));
    await cloudTrail(as(cairn, creator)).send(new CreateTrailCommand({ Name: "untagged", S3BucketName: "audit-bucket" }));
  });

  it("Cloud Map's keys are set on exactly the actions AWS lists them for: a Deny on ServiceCreatedByAccount bites changes, not reads", async () => {
    const namespaceId = await createdNamespaceId(cloudMap(cairn), new CreateHttpNamespaceCommand({ Name: uniqueName("prod") }));
    const { Service } = await cloudMap(cairn).send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId }));
    const dev = await userWithPolicy(
      cairn,
      "cloudmap-dev",
      policy(
        { Effect: "Allow", Action: "servicediscovery:*", Resource: "*" },
        { Effect: "Deny", Action: "servicediscovery:*", Resource: "*", Condition: { StringEquals: { "servicediscovery:ServiceCreatedByAccount": cairn.accountId } } },
      ),
    );
    const sd = cloudMap(as(cairn, dev));
    await expectError(sd.send(new RegisterInstanceCommand({ ServiceId: Service!.Id!, InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } })), "AccessDeniedException", /explicit deny/);
    await expectError(sd.send(new DeleteServiceCommand({ Id: Service!.Id! })), "AccessDeniedException", /explicit deny/);
    // GetService and ListInstances carry no such key in AWS: the Deny does not apply to them.
    assert.equal((await sd.send(new GetServiceCommand({ Id: Service!.Id! }))).Service?.Id, Service!.Id);
    assert.deepEqual((await sd.send(new ListInstancesCommand({ ServiceId: Service!.Id! }))).Instances, []);
    // servicediscovery:NamespaceArn on CreateService names the namespace the service goes into.
    const elsewhere = await userWithPolicy(
      cairn,
      "cloudmap-elsewhere",
      allow("servicediscovery:CreateService", "*", { ArnNotEquals: { "servicediscovery:NamespaceArn": `arn:aws:servicediscovery:us-east-1:${cairn.accountId}:namespace/${namespaceId}` } }),
    );
    await expectError(cloudMap(as(cairn, elsewhere)).send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId })), "AccessDeniedException");
  });

  it("a CloudWatch Logs role on a trail needs iam:PassRole to cloudtrail.amazonaws.com", async () => {
    const { Role } = await iam(cairn).send(new CreateRoleCommand({ RoleName: "TrailLogs", AssumeRolePolicyDocument: trust({ Service: "cloudtrail.amazonaws.com" }) }));
    const logs = { CloudWatchLogsRoleArn: Role!.Arn!, CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${cairn.accountId}:log-group:trail:*` };
    const noPass = await userWithPolicy(cairn, "trail-admin", allow("cloudtrail:*"));
    await expectError(cloudTrail(as(cairn, noPass)).send(new CreateTrailCommand({ Name: "logs", S3BucketName: "audit-bucket", ...logs })), "AccessDeniedException", /iam:PassRole/);
    const wrongService = await userWithPolicy(
      cairn,
      "trail-admin-ec2",
      policy({ Effect: "Allow", Action: "cloudtrail:*", Resource: "*" }, { Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } }),
    );
    await expectError(cloudTrail(as(cairn, wrongService)).send(new CreateTrailCommand({ Name: "logs", S3BucketName: "audit-bucket", ...logs })), "AccessDeniedException", /iam:PassRole/);
    const passer = await userWithPolicy(
      cairn,
      "trail-admin-pass",
      policy(
        { Effect: "Allow", Action: "cloudtrail:*", Resource: "*" },
        { Effect: "Allow", Action: "iam:PassRole", Resource: Role!.Arn!, Condition: { StringEquals: { "iam:PassedToService": "cloudtrail.amazonaws.com" } } },
      ),
    );
    await cloudTrail(as(cairn, passer)).send(new CreateTrailCommand({ Name: "logs", S3BucketName: "audit-bucket", ...logs }));
    await expectError(cloudTrail(as(cairn, noPass)).send(new UpdateTrailCommand({ Name: "logs", ...logs })), "AccessDeniedException", /iam:PassRole/);
  });

  it("AssumeRole: aws:ResourceTag of the role and sts:TransitiveTagKeys are keys of the call", async () => {
    for (const [RoleName, team] of [["DevRole", "dev"], ["OpsRole", "ops"]] as const) {
      await iam(cairn).send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust({ AWS: cairn.accountId }, ["sts:AssumeRole", "sts:TagSession"]), Tags: [{ Key: "team", Value: team }] }));
    }
    const dev = await userWithPolicy(
      cairn,
      "team-dev",
      policy(
        { Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "dev" } } },
        { Effect: "Deny", Action: "sts:AssumeRole", Resource: "*", Condition: { "ForAnyValue:StringEquals": { "sts:TransitiveTagKeys": "team" } } },
      ),
    );
    const arn = (name: string) => `arn:aws:iam::${cairn.accountId}:role/${name}`;
    await sts(as(cairn, dev)).send(new AssumeRoleCommand({ RoleArn: arn("DevRole"), RoleSessionName: "sess" }));
    await expectError(sts(as(cairn, dev)).send(new AssumeRoleCommand({ RoleArn: arn("OpsRole"), RoleSessionName: "sess" })), "AccessDenied");
    await expectError(
      sts(as(cairn, dev)).send(new AssumeRoleCommand({ RoleArn: arn("DevRole"), RoleSessionName: "sess", Tags: [{ Key: "team", Value: "dev" }], TransitiveTagKeys: ["team"] })),
      "AccessDenied",
      /explicit deny/,
    );
  });
});

describe("STS as AWS documents it", () => {
  let cairn: CairnProcess;
  let sourcedArn: string;
  before(async () => {
    cairn = await startCairn();
    const root = iam(cairn);
    await root.send(new CreateRoleCommand({ RoleName: "Plain", AssumeRolePolicyDocument: trust({ AWS: cairn.accountId }) }));
    sourcedArn = (
      await root.send(
        new CreateRoleCommand({
          RoleName: "Sourced",
          AssumeRolePolicyDocument: trust({ AWS: cairn.accountId }, ["sts:AssumeRole", "sts:SetSourceIdentity"], { StringNotLike: { "sts:SourceIdentity": "mallory*" } }),
        }),
      )
    ).Role!.Arn!;
    await root.send(new PutRolePolicyCommand({ RoleName: "Sourced", PolicyName: "chain", PolicyDocument: JSON.stringify(allow(["sts:AssumeRole", "sts:SetSourceIdentity", "servicediscovery:*"])) }));
    await root.send(new CreateRoleCommand({ RoleName: "Next", AssumeRolePolicyDocument: trust({ AWS: sourcedArn }, ["sts:AssumeRole", "sts:SetSourceIdentity"]) }));
    await root.send(new PutRolePolicyCommand({ RoleName: "Next", PolicyName: "p", PolicyDocument: JSON.stringify(allow("servicediscovery:*")) }));
    await root.send(new CreateRoleCommand({ RoleName: "NoSource", AssumeRolePolicyDocument: trust({ AWS: sourcedArn }) }));
  });
  after(async () => {
    await cairn.stop();
  });

  it("GetSessionToken needs no permission and an explicit Deny cannot stop it; its session token is recorded, its secret never", async () => {
    const nobody = await userWithPolicy(cairn, "nobody", policy({ Effect: "Deny", Action: "sts:*", Resource: "*" }));
    const out = await sts(as(cairn, nobody)).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const creds = sessionCredentials(out.Credentials);
    const record = await recordOfCall(cairn, "GetSessionToken", nobody.accessKeyId);
    assert.equal(record.responseElements.credentials.sessionToken, creds.sessionToken);
    assert.equal(record.responseElements.credentials.accessKeyId, creds.accessKeyId);
    assert.ok(!JSON.stringify(record).includes(creds.secretAccessKey), "the secret access key is never recorded");

    // Its credentials call no IAM, and of STS only AssumeRole and GetCallerIdentity.
    await expectError(iam(as(cairn, creds)).send(new ListUsersCommand({})), "InvalidClientTokenId");
    await expectError(sts(as(cairn, creds)).send(new GetSessionTokenCommand({})), "AccessDenied");
    await expectError(sts(as(cairn, creds)).send(new GetFederationTokenCommand({ Name: "fed" })), "AccessDenied");
    const who = await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${cairn.accountId}:user/nobody`);
  });

  it("SourceIdentity needs sts:SetSourceIdentity, is recorded, and survives role chaining unchanged", async () => {
    const dev = await userWithPolicy(cairn, "dev", allow(["sts:AssumeRole", "sts:SetSourceIdentity"]));
    const client = sts(as(cairn, dev));
    const arn = (name: string) => `arn:aws:iam::${cairn.accountId}:role/${name}`;
    await expectError(client.send(new AssumeRoleCommand({ RoleArn: arn("Plain"), RoleSessionName: "sess", SourceIdentity: "alice" })), "AccessDenied", /sts:SetSourceIdentity/);
    await expectError(client.send(new AssumeRoleCommand({ RoleArn: sourcedArn, RoleSessionName: "sess", SourceIdentity: "mallory" })), "AccessDenied");
    await expectError(client.send(new AssumeRoleCommand({ RoleArn: sourcedArn, RoleSessionName: "sess", SourceIdentity: "aws:alice" })), "ValidationError");

    const assumed = await client.send(new AssumeRoleCommand({ RoleArn: sourcedArn, RoleSessionName: "sess", SourceIdentity: "alice" }));
    assert.equal(assumed.SourceIdentity, "alice");
    const session = sessionCredentials(assumed.Credentials);
    const assumeRecord = await recordOfCall(cairn, "AssumeRole", dev.accessKeyId);
    assert.equal(assumeRecord.requestParameters.sourceIdentity, "alice");

    // Chained: kept without asking, never changed, and the next trust policy must still allow it.
    const chained = await sts(as(cairn, session)).send(new AssumeRoleCommand({ RoleArn: arn("Next"), RoleSessionName: "next" }));
    assert.equal(chained.SourceIdentity, "alice");
    await expectError(sts(as(cairn, session)).send(new AssumeRoleCommand({ RoleArn: arn("Next"), RoleSessionName: "n2", SourceIdentity: "bob" })), "AccessDenied");
    await expectError(sts(as(cairn, session)).send(new AssumeRoleCommand({ RoleArn: arn("NoSource"), RoleSessionName: "n3" })), "AccessDenied", /sts:SetSourceIdentity/);

    const next = sessionCredentials(chained.Credentials);
    await cloudMap(as(cairn, next)).send(new CreateHttpNamespaceCommand({ Name: uniqueName("sourced") }));
    const record = await recordOfCall(cairn, "CreateHttpNamespace", next.accessKeyId);
    assert.equal(record.userIdentity.sessionContext.sourceIdentity, "alice");
  });

  it("answers JSON to Accept: application/json, as aws-iam-authenticator reads a presigned GetCallerIdentity", async () => {
    const url = new URL(cairn.url);
    const signer = new SignatureV4({ credentials: cairn.credentials, region: "us-east-1", service: "sts", sha256: Sha256 });
    const request = new HttpRequest({
      method: "GET",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: url.host },
    });
    const presigned = await signer.presign(request, { expiresIn: 60 });
    const search = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const answer = await send({ url: `${cairn.url}/?${search}`, method: "GET", headers: { host: url.host, accept: "application/json" }, body: "" });
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers["content-type"]), /^application\/json/);
    const json = answer.json() as { GetCallerIdentityResponse: { GetCallerIdentityResult: Record<string, string>; ResponseMetadata: { RequestId: string } } };
    assert.deepEqual(json.GetCallerIdentityResponse.GetCallerIdentityResult, { Account: cairn.accountId, Arn: `arn:aws:iam::${cairn.accountId}:root`, UserId: cairn.accountId });
    assert.equal(json.GetCallerIdentityResponse.ResponseMetadata.RequestId, answer.headers["x-amzn-requestid"]);

    const tampered = await send({ url: `${cairn.url}/?${search.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${"0".repeat(64)}`)}`, method: "GET", headers: { host: url.host, accept: "application/json" }, body: "" });
    assert.equal(tampered.status, 403);
    const error = tampered.json() as { Error: { Code: string; Message: string; Type: string }; RequestId: string };
    assert.equal(error.Error.Code, "SignatureDoesNotMatch");
    assert.equal(error.Error.Type, "Sender");
    assert.equal(error.RequestId, tampered.headers["x-amzn-requestid"]);
  });

  it("an awsQuery request signed for a service Cairn does not serve gets AWS's scope error", async () => {
    for (const service of ["ec2", "servicediscovery"]) {
      const request = await signedPost(cairn.url, cairn.credentials, "Action=GetCallerIdentity&Version=2011-06-15", { "content-type": "application/x-www-form-urlencoded" }, { service });
      const answer = await send(request);
      assert.equal(answer.status, 403, service);
      assert.match(answer.body, /<Code>SignatureDoesNotMatch<\/Code>/);
      assert.match(answer.body, /Credential should be scoped to correct service: &apos;sts&apos;\. |Credential should be scoped to correct service: 'sts'\. /);
    }
    // Signed for IAM, an STS action is IAM's unknown action, never STS's answer.
    const viaIam = await send(await signedQueryRequest(cairn.url, cairn.credentials, "iam", { Action: "GetCallerIdentity", Version: "2010-05-08" }));
    assert.equal(viaIam.status, 400);
    assert.doesNotMatch(viaIam.body, /GetCallerIdentityResult/);
  });
});
