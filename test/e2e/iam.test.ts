import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeletePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateUserCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { lookupAll, cloudTrail, recordOf } from "../support/cloudtrail.js";
import { as, iam, signedQueryRequest, sts } from "../support/identity.js";
import { send } from "../support/raw.js";
import { storeHolds } from "../support/store-contents.js";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

const TRUST_ACCOUNT = (account: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] });
const READ_ONLY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "servicediscovery:Get*", Resource: "*" }] });

async function rejects(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: { name: string; $metadata?: { httpStatusCode?: number }; message: string }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe("IAM over awsQuery", () => {
  let cairn: CairnProcess;
  before(async () => {
    cairn = await startCairn();
  });
  after(async () => {
    await cairn.stop();
  });

  it("creates, reads, lists, tags and deletes users", async () => {
    const client = iam(cairn);
    const { User } = await client.send(new CreateUserCommand({ UserName: "maria", Path: "/dev/", Tags: [{ Key: "team", Value: "payments" }] }));
    assert.equal(User?.UserName, "maria");
    assert.equal(User?.Path, "/dev/");
    assert.equal(User?.Arn, `arn:aws:iam::${cairn.accountId}:user/dev/maria`);
    assert.match(User?.UserId ?? "", /^AIDA[A-Z0-9]{17}$/);
    assert.ok(User?.CreateDate instanceof Date);
    const got = await client.send(new GetUserCommand({ UserName: "MARIA" }));
    assert.equal(got.User?.UserId, User?.UserId, "IAM names are case-insensitive");
    assert.deepEqual(got.User?.Tags, [{ Key: "team", Value: "payments" }]);
    await client.send(new TagUserCommand({ UserName: "maria", Tags: [{ Key: "env", Value: "dev" }] }));
    await client.send(new UntagUserCommand({ UserName: "maria", TagKeys: ["team"] }));
    assert.deepEqual((await client.send(new ListUserTagsCommand({ UserName: "maria" }))).Tags, [{ Key: "env", Value: "dev" }]);
    await client.send(new CreateUserCommand({ UserName: "ana" }));
    const listed = await client.send(new ListUsersCommand({}));
    assert.deepEqual(listed.Users?.map((u) => u.UserName), ["ana", "maria"]);
    const paged = await client.send(new ListUsersCommand({ MaxItems: 1 }));
    assert.equal(paged.IsTruncated, true);
    assert.deepEqual((await client.send(new ListUsersCommand({ Marker: paged.Marker }))).Users?.map((u) => u.UserName), ["maria"]);
    assert.deepEqual((await client.send(new ListUsersCommand({ PathPrefix: "/dev/" }))).Users?.map((u) => u.UserName), ["maria"]);
    await rejects(client.send(new CreateUserCommand({ UserName: "Maria" })), "EntityAlreadyExistsException", 409, /User with name Maria already exists/);
    await rejects(client.send(new UpdateUserCommand({ UserName: "ana", NewUserName: "MARIA" })), "EntityAlreadyExistsException", 409);
    await client.send(new DeleteUserCommand({ UserName: "ana" }));
    await rejects(client.send(new GetUserCommand({ UserName: "ana" })), "NoSuchEntityException", 404, /The user with name ana cannot be found/);
    await rejects(client.send(new CreateUserCommand({ UserName: "bad name" })), "ValidationError", 400, /userName/);
  });

  it("returns a secret once, keeps at most two keys, and seals secrets in the database", async () => {
    const client = iam(cairn);
    await client.send(new CreateUserCommand({ UserName: "keys" }));
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: "keys" }));
    assert.match(AccessKey?.AccessKeyId ?? "", /^AKIA[A-Z2-7]{16}$/);
    assert.match(AccessKey?.SecretAccessKey ?? "", /^[A-Za-z0-9/+]{40}$/);
    assert.equal(AccessKey?.Status, "Active");
    const listed = await client.send(new ListAccessKeysCommand({ UserName: "keys" }));
    assert.deepEqual(listed.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status]), [[AccessKey!.AccessKeyId, "Active"]]);
    assert.ok(!JSON.stringify(listed).includes(AccessKey!.SecretAccessKey!), "ListAccessKeys never returns the secret");
    await client.send(new CreateAccessKeyCommand({ UserName: "keys" }));
    await rejects(client.send(new CreateAccessKeyCommand({ UserName: "keys" })), "LimitExceededException", 409, /AccessKeysPerUser: 2/);
    await rejects(client.send(new DeleteUserCommand({ UserName: "keys" })), "DeleteConflictException", 409, /must delete access keys first/);

    assert.equal(await storeHolds(cairn, AccessKey!.SecretAccessKey!), false, "the secret is not readable from the database");

    const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateAccessKey" }] });
    assert.ok(events.length >= 2);
    for (const event of events) assert.ok(!event.CloudTrailEvent!.includes(AccessKey!.SecretAccessKey!), "CloudTrail never records a secret");
    const record = recordOf(events[events.length - 1]!);
    assert.equal(record.awsRegion, "us-east-1");
    assert.equal(record.eventSource, "iam.amazonaws.com");
    assert.deepEqual(Object.keys((record.responseElements as { accessKey: object }).accessKey).sort(), ["accessKeyId", "createDate", "status", "userName"]);
  });

  it("deactivates and deletes keys, which stop authenticating at once", async () => {
    const client = iam(cairn);
    await client.send(new CreateUserCommand({ UserName: "temp" }));
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: "temp" }));
    const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const who = await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${cairn.accountId}:user/temp`);
    await client.send(new UpdateAccessKeyCommand({ UserName: "temp", AccessKeyId: creds.accessKeyId, Status: "Inactive" }));
    await rejects(sts(as(cairn, creds)).send(new GetCallerIdentityCommand({})), "InvalidClientTokenId", 403);
    await client.send(new UpdateAccessKeyCommand({ UserName: "temp", AccessKeyId: creds.accessKeyId, Status: "Active" }));
    assert.equal((await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}))).Account, cairn.accountId);
    await client.send(new DeleteAccessKeyCommand({ UserName: "temp", AccessKeyId: creds.accessKeyId }));
    await rejects(sts(as(cairn, creds)).send(new GetCallerIdentityCommand({})), "InvalidClientTokenId", 403);
    await rejects(client.send(new DeleteAccessKeyCommand({ UserName: "temp", AccessKeyId: creds.accessKeyId })), "NoSuchEntityException", 404);
  });

  it("renames and moves a user with its keys, policies and tags", async () => {
    const client = iam(cairn);
    await client.send(new CreateUserCommand({ UserName: "old", Tags: [{ Key: "team", Value: "a" }] }));
    await client.send(new PutUserPolicyCommand({ UserName: "old", PolicyName: "p", PolicyDocument: READ_ONLY }));
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: "old" }));
    const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    assert.equal((await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${cairn.accountId}:user/old`);
    await client.send(new UpdateUserCommand({ UserName: "old", NewUserName: "new", NewPath: "/moved/" }));
    await rejects(client.send(new GetUserCommand({ UserName: "old" })), "NoSuchEntityException", 404);
    const moved = await client.send(new GetUserCommand({ UserName: "new" }));
    assert.equal(moved.User?.Arn, `arn:aws:iam::${cairn.accountId}:user/moved/new`);
    assert.deepEqual(moved.User?.Tags, [{ Key: "team", Value: "a" }]);
    assert.deepEqual((await client.send(new ListUserPoliciesCommand({ UserName: "new" }))).PolicyNames, ["p"]);
    assert.deepEqual((await client.send(new ListAccessKeysCommand({ UserName: "new" }))).AccessKeyMetadata?.map((k) => k.AccessKeyId), [creds.accessKeyId]);
    assert.equal((await sts(as(cairn, creds)).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${cairn.accountId}:user/moved/new`);
  });

  it("manages roles, trust policies, inline and managed policies with AWS's errors", async () => {
    const client = iam(cairn);
    const created = await client.send(
      new CreateRoleCommand({ RoleName: "Operator", Path: "/ops/", AssumeRolePolicyDocument: TRUST_ACCOUNT(cairn.accountId), MaxSessionDuration: 7200 }),
    );
    assert.equal(created.Role?.Arn, `arn:aws:iam::${cairn.accountId}:role/ops/Operator`);
    assert.match(created.Role?.RoleId ?? "", /^AROA[A-Z0-9]{17}$/);
    assert.equal(created.Role?.MaxSessionDuration, 7200);
    assert.equal(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!), TRUST_ACCOUNT(cairn.accountId));
    await rejects(
      client.send(new CreateRoleCommand({ RoleName: "Bad", AssumeRolePolicyDocument: READ_ONLY })),
      "MalformedPolicyDocumentException",
      400,
    );
    await rejects(client.send(new CreateRoleCommand({ RoleName: "operator", AssumeRolePolicyDocument: TRUST_ACCOUNT(cairn.accountId) })), "EntityAlreadyExistsException", 409);
    await client.send(new UpdateAssumeRolePolicyCommand({ RoleName: "Operator", PolicyDocument: TRUST_ACCOUNT(cairn.accountId) }));
    await client.send(new UpdateRoleCommand({ RoleName: "Operator", Description: "operates", MaxSessionDuration: 3600 }));
    const updated = (await client.send(new GetRoleCommand({ RoleName: "Operator" }))).Role;
    assert.deepEqual([updated?.Description, updated?.MaxSessionDuration], ["operates", 3600]);
    await client.send(new TagRoleCommand({ RoleName: "Operator", Tags: [{ Key: "team", Value: "ops" }] }));
    assert.deepEqual((await client.send(new GetRoleCommand({ RoleName: "Operator" }))).Role?.Tags, [{ Key: "team", Value: "ops" }]);
    assert.deepEqual((await client.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName), ["Operator"]);

    await client.send(new PutRolePolicyCommand({ RoleName: "Operator", PolicyName: "read", PolicyDocument: READ_ONLY }));
    const inline = await client.send(new GetRolePolicyCommand({ RoleName: "Operator", PolicyName: "read" }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), READ_ONLY);
    assert.deepEqual((await client.send(new ListRolePoliciesCommand({ RoleName: "Operator" }))).PolicyNames, ["read"]);
    await rejects(
      client.send(new PutRolePolicyCommand({ RoleName: "Operator", PolicyName: "p", PolicyDocument: "{not json" })),
      "MalformedPolicyDocumentException",
      400,
    );
    await rejects(
      client.send(new PutRolePolicyCommand({ RoleName: "Operator", PolicyName: "p", PolicyDocument: TRUST_ACCOUNT(cairn.accountId) })),
      "MalformedPolicyDocumentException",
      400,
      /should not specify a principal/,
    );
    await rejects(client.send(new GetRolePolicyCommand({ RoleName: "Operator", PolicyName: "nope" })), "NoSuchEntityException", 404);

    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "CloudMapRead", PolicyDocument: READ_ONLY, Description: "read" }));
    assert.equal(Policy?.Arn, `arn:aws:iam::${cairn.accountId}:policy/CloudMapRead`);
    assert.match(Policy?.PolicyId ?? "", /^ANPA[A-Z0-9]{17}$/);
    assert.equal(Policy?.DefaultVersionId, "v1");
    await rejects(client.send(new CreatePolicyCommand({ PolicyName: "cloudmapread", PolicyDocument: READ_ONLY })), "EntityAlreadyExistsException", 409);
    assert.deepEqual((await client.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies?.map((p) => p.Arn), [Policy!.Arn]);
    assert.deepEqual((await client.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies, []);
    await rejects(
      client.send(new CreateRoleCommand({ RoleName: "Bounded", AssumeRolePolicyDocument: TRUST_ACCOUNT(cairn.accountId), PermissionsBoundary: `arn:aws:iam::${cairn.accountId}:policy/none` })),
      "NoSuchEntityException",
      404,
    );
    const bounded = await client.send(new CreateRoleCommand({ RoleName: "Bounded", AssumeRolePolicyDocument: TRUST_ACCOUNT(cairn.accountId), PermissionsBoundary: Policy!.Arn! }));
    assert.deepEqual(bounded.Role?.PermissionsBoundary, { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: Policy!.Arn! });
    assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn! }))).Policy?.PermissionsBoundaryUsageCount, 1);
    await rejects(client.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn! })), "DeleteConflictException", 409);
    await client.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: "Bounded" }));
    assert.equal((await client.send(new GetRoleCommand({ RoleName: "Bounded" }))).Role?.PermissionsBoundary, undefined);
    await client.send(new DeleteRoleCommand({ RoleName: "Bounded" }));
    await client.send(new AttachRolePolicyCommand({ RoleName: "Operator", PolicyArn: Policy!.Arn! }));
    assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn! }))).Policy?.AttachmentCount, 1);
    assert.deepEqual((await client.send(new ListAttachedRolePoliciesCommand({ RoleName: "Operator" }))).AttachedPolicies, [
      { PolicyName: "CloudMapRead", PolicyArn: Policy!.Arn! },
    ]);
    const version = await client.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn!, VersionId: "v1" }));
    assert.equal(decodeURIComponent(version.PolicyVersion!.Document!), READ_ONLY);
    await rejects(client.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn! })), "DeleteConflictException", 409);
    await rejects(client.send(new DeleteRoleCommand({ RoleName: "Operator" })), "DeleteConflictException", 409, /must delete policies first/);
    await client.send(new DeleteRolePolicyCommand({ RoleName: "Operator", PolicyName: "read" }));
    await rejects(client.send(new DeleteRoleCommand({ RoleName: "Operator" })), "DeleteConflictException", 409, /must detach all policies first/);
    await client.send(new DetachRolePolicyCommand({ RoleName: "Operator", PolicyArn: Policy!.Arn! }));
    await client.send(new DeleteRoleCommand({ RoleName: "Operator" }));
    await rejects(client.send(new GetRoleCommand({ RoleName: "Operator" })), "NoSuchEntityException", 404, /The role with name Operator cannot be found/);

    await client.send(new CreateUserCommand({ UserName: "pol" }));
    await client.send(new PutUserPolicyCommand({ UserName: "pol", PolicyName: "read", PolicyDocument: READ_ONLY }));
    assert.equal(decodeURIComponent((await client.send(new GetUserPolicyCommand({ UserName: "pol", PolicyName: "read" }))).PolicyDocument!), READ_ONLY);
    assert.deepEqual((await client.send(new ListUserPoliciesCommand({ UserName: "pol" }))).PolicyNames, ["read"]);
    await client.send(new AttachUserPolicyCommand({ UserName: "pol", PolicyArn: Policy!.Arn! }));
    assert.equal((await client.send(new ListAttachedUserPoliciesCommand({ UserName: "pol" }))).AttachedPolicies?.length, 1);
    await rejects(
      client.send(new AttachUserPolicyCommand({ UserName: "pol", PolicyArn: `arn:aws:iam::${cairn.accountId}:policy/missing` })),
      "NoSuchEntityException",
      404,
    );
    const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "servicediscovery:Get*", Resource: "x".repeat(2100) }] });
    await rejects(client.send(new PutUserPolicyCommand({ UserName: "pol", PolicyName: "big", PolicyDocument: big })), "LimitExceededException", 409);
    await client.send(new DetachUserPolicyCommand({ UserName: "pol", PolicyArn: Policy!.Arn! }));
    await client.send(new DeleteUserPolicyCommand({ UserName: "pol", PolicyName: "read" }));
    await client.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn! }));
    await client.send(new DeleteUserCommand({ UserName: "pol" }));
  });

  it("speaks AWS's XML: result wrapper, request id, error document", async () => {
    const ok = await send(await signedQueryRequest(cairn.url, cairn.credentials, "iam", { Action: "CreateUser", Version: "2010-05-08", UserName: "xml" }));
    assert.equal(ok.status, 200);
    assert.equal(ok.headers["content-type"], "text/xml");
    const requestId = ok.headers["x-amzn-requestid"] as string;
    assert.match(
      ok.body,
      new RegExp(
        `^<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><Path>/</Path><UserName>xml</UserName><UserId>AIDA[A-Z0-9]{17}</UserId><Arn>arn:aws:iam::${cairn.accountId}:user/xml</Arn><CreateDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</CreateDate></User></CreateUserResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></CreateUserResponse>$`,
      ),
    );
    const empty = await send(await signedQueryRequest(cairn.url, cairn.credentials, "iam", { Action: "DeleteUser", Version: "2010-05-08", UserName: "xml" }));
    assert.equal(empty.body, `<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>${empty.headers["x-amzn-requestid"] as string}</RequestId></ResponseMetadata></DeleteUserResponse>`);
    const missing = await send(await signedQueryRequest(cairn.url, cairn.credentials, "iam", { Action: "GetUser", Version: "2010-05-08", UserName: "xml" }));
    assert.equal(missing.status, 404);
    assert.equal(
      missing.body,
      `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name xml cannot be found.</Message></Error><RequestId>${missing.headers["x-amzn-requestid"] as string}</RequestId></ErrorResponse>`,
    );
    const unknown = await send(await signedQueryRequest(cairn.url, cairn.credentials, "sts", { Action: "Nope", Version: "2011-06-15" }));
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /<Code>InvalidAction<\/Code>/);
    const unsigned = await send({ url: cairn.url, headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    assert.equal(unsigned.status, 403);
    assert.match(unsigned.body, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
  });
});

describe("awsQuery in the query string", () => {
  let cairn: CairnProcess;
  before(async () => {
    cairn = await startCairn();
  });
  after(async () => {
    await cairn.stop();
  });

  it("answers GET /?Action=… and presigned GetCallerIdentity URLs", async () => {
    const url = new URL(cairn.url);
    const query = { Action: "GetCallerIdentity", Version: "2011-06-15" };
    const signer = new SignatureV4({ credentials: cairn.credentials, region: "us-east-1", service: "sts", sha256: Sha256 });
    const request = new HttpRequest({ method: "GET", protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: "/", query, headers: { host: url.host } });
    const signed = await signer.sign(request);
    const viaHeader = await send({ url: `${cairn.url}/?Action=GetCallerIdentity&Version=2011-06-15`, method: "GET", headers: signed.headers as Record<string, string>, body: "" });
    assert.equal(viaHeader.status, 200);
    assert.match(viaHeader.body, new RegExp(`<Arn>arn:aws:iam::${cairn.accountId}:root</Arn>`));

    const presigned = await signer.presign(request, { expiresIn: 60 });
    const search = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const viaUrl = await send({ url: `${cairn.url}/?${search}`, method: "GET", headers: { host: url.host }, body: "" });
    assert.equal(viaUrl.status, 200);
    assert.match(viaUrl.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>/);
  });
});
