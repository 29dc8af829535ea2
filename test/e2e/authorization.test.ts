import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DiscoverInstancesCommand,
  GetNamespaceCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  TagResourceCommand,
} from "@aws-sdk/client-servicediscovery";
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DetachGroupPolicyCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  PutGroupPolicyCommand,
  RemoveUserFromGroupCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { allow, as, iam, userWithPolicy } from "../support/identity.js";

describe("IAM policies authorise every call", () => {
  let cairn: CairnProcess;
  let namespaceId: string;
  let namespaceArn: string;
  before(async () => {
    cairn = await startCairn();
    namespaceId = await createdNamespaceId(cloudMap(cairn), new CreateHttpNamespaceCommand({ Name: uniqueName("root-ns") }));
    namespaceArn = `arn:aws:servicediscovery:us-east-1:${cairn.accountId}:namespace/${namespaceId}`;
  });
  after(async () => {
    await cairn.stop();
  });

  it("allows what the policy allows, denies the rest, and records the denial", async () => {
    const creds = await userWithPolicy(
      cairn,
      "maria",
      allow(["servicediscovery:CreateHttpNamespace", "servicediscovery:GetOperation", "servicediscovery:List*"]),
      "/dev/",
    );
    const sd = cloudMap(as(cairn, creds));
    await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("maria") }));
    assert.ok((await sd.send(new ListNamespacesCommand({}))).Namespaces!.length >= 2);
    const userArn = `arn:aws:iam::${cairn.accountId}:user/dev/maria`;
    const denied = await expectError(
      sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId })),
      "AccessDeniedException",
      new RegExp(
        `^User: ${userArn} is not authorized to perform: servicediscovery:CreateService on resource: ${namespaceArn} because no identity-based policy allows the servicediscovery:CreateService action$`,
      ),
    );
    assert.equal(denied.$metadata.httpStatusCode, 400);
    await expectError(sd.send(new DeleteNamespaceCommand({ Id: namespaceId })), "AccessDeniedException");
    assert.ok((await sd.send(new ListServicesCommand({}))).Services, "servicediscovery:List* allows ListServices");

    const [event] = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateService" }] });
    const record = recordOf(event!);
    assert.equal(record.errorCode, "AccessDenied");
    assert.equal(record.errorMessage, denied.message);
    assert.equal(record.responseElements, null);
    assert.equal(record.requestParameters?.name, "web");
    assert.equal(record.requestParameters?.namespaceId, namespaceId);
    const identity = record.userIdentity as Record<string, string>;
    assert.deepEqual(Object.keys(identity), ["type", "principalId", "arn", "accountId", "accessKeyId", "userName"]);
    assert.equal(identity.type, "IAMUser");
    assert.match(identity.principalId!, /^AIDA[A-Z0-9]{17}$/);
    assert.equal(identity.arn, userArn);
    assert.equal(identity.accountId, cairn.accountId);
    assert.equal(identity.accessKeyId, creds.accessKeyId);
    assert.equal(identity.userName, "maria");
    assert.equal(event!.Username, "maria");
    assert.equal(event!.AccessKeyId, creds.accessKeyId);
  });

  it("lets an explicit deny win over any allow", async () => {
    const creds = await userWithPolicy(cairn, "denied", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "servicediscovery:*", Resource: "*" },
        { Effect: "Deny", Action: "servicediscovery:Delete*", Resource: `arn:aws:servicediscovery:*:*:namespace/*` },
      ],
    });
    const sd = cloudMap(as(cairn, creds));
    await sd.send(new GetNamespaceCommand({ Id: namespaceId }));
    await expectError(
      sd.send(new DeleteNamespaceCommand({ Id: namespaceId })),
      "AccessDeniedException",
      /on resource: arn:aws:servicediscovery:us-east-1:\d{12}:namespace\/ns-\w+ with an explicit deny in an identity-based policy$/,
    );
    await sd.send(new GetNamespaceCommand({ Id: namespaceId }));
    // A policy change applies to the very next call (no stale cache on the node that made it).
    await iam(cairn).send(
      new PutUserPolicyCommand({ UserName: "denied", PolicyName: "no-get", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "servicediscovery:GetNamespace", Resource: "*" }] }) }),
    );
    await expectError(sd.send(new GetNamespaceCommand({ Id: namespaceId })), "AccessDeniedException", /with an explicit deny in an identity-based policy$/);
  });

  it("grants through attached managed policies", async () => {
    const client = iam(cairn);
    await client.send(new CreateUserCommand({ UserName: "managed" }));
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "NsRead", PolicyDocument: JSON.stringify(allow("servicediscovery:GetNamespace", namespaceArn)) }));
    const creds = await userWithKey(cairn, "managed");
    const sd = cloudMap(as(cairn, creds));
    await expectError(sd.send(new GetNamespaceCommand({ Id: namespaceId })), "AccessDeniedException");
    await client.send(new AttachUserPolicyCommand({ UserName: "managed", PolicyArn: Policy!.Arn! }));
    assert.equal((await sd.send(new GetNamespaceCommand({ Id: namespaceId }))).Namespace?.Id, namespaceId);
  });

  it("holds conditions: aws:SourceIp, aws:RequestTag, aws:ResourceTag, servicediscovery:NamespaceName", async () => {
    const fromElsewhere = cloudMap(as(cairn, await userWithPolicy(cairn, "far", allow("servicediscovery:ListNamespaces", "*", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }))));
    await expectError(fromElsewhere.send(new ListNamespacesCommand({})), "AccessDeniedException");
    const fromHere = cloudMap(as(cairn, await userWithPolicy(cairn, "near", allow("servicediscovery:ListNamespaces", "*", { IpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1/128"] } }))));
    assert.ok((await fromHere.send(new ListNamespacesCommand({}))).Namespaces);

    const tagger = cloudMap(
      as(cairn, await userWithPolicy(cairn, "tagger", allow(["servicediscovery:CreateHttpNamespace", "servicediscovery:TagResource"], "*", { StringEquals: { "aws:RequestTag/team": "payments" } }))),
    );
    await expectError(tagger.send(new CreateHttpNamespaceCommand({ Name: uniqueName("untagged") })), "AccessDeniedException");
    await expectError(tagger.send(new CreateHttpNamespaceCommand({ Name: uniqueName("other"), Tags: [{ Key: "team", Value: "search" }] })), "AccessDeniedException");
    await tagger.send(new CreateHttpNamespaceCommand({ Name: uniqueName("tagged"), Tags: [{ Key: "team", Value: "payments" }] }));

    const root = cloudMap(cairn);
    const tagged = await createdNamespaceId(root, new CreateHttpNamespaceCommand({ Name: uniqueName("res") }));
    await root.send(new TagResourceCommand({ ResourceARN: `arn:aws:servicediscovery:us-east-1:${cairn.accountId}:namespace/${tagged}`, Tags: [{ Key: "team", Value: "payments" }] }));
    const reader = cloudMap(as(cairn, await userWithPolicy(cairn, "reader", allow("servicediscovery:GetNamespace", "*", { StringEquals: { "aws:ResourceTag/team": "payments" } }))));
    assert.equal((await reader.send(new GetNamespaceCommand({ Id: tagged }))).Namespace?.Id, tagged);
    await expectError(reader.send(new GetNamespaceCommand({ Id: namespaceId })), "AccessDeniedException");

    const discoverer = cloudMap(
      as(cairn, await userWithPolicy(cairn, "disc", allow("servicediscovery:DiscoverInstances", "*", { StringEquals: { "servicediscovery:NamespaceName": "allowed-ns" } }))),
    );
    await expectError(discoverer.send(new DiscoverInstancesCommand({ NamespaceName: "other-ns", ServiceName: "web" })), "AccessDeniedException");
    await expectError(discoverer.send(new DiscoverInstancesCommand({ NamespaceName: "allowed-ns", ServiceName: "web" })), "NamespaceNotFound");
  });

  it("grants through groups: their inline and attached policies apply to members", async () => {
    const client = iam(cairn);
    const sd = cloudMap(as(cairn, await userWithPolicy(cairn, "member", undefined)));
    const { Group } = await client.send(new CreateGroupCommand({ GroupName: "Readers", Path: "/teams/" }));
    assert.equal(Group?.Arn, `arn:aws:iam::${cairn.accountId}:group/teams/Readers`);
    assert.match(Group?.GroupId ?? "", /^AGPA[A-Z0-9]{17}$/);
    await client.send(new PutGroupPolicyCommand({ GroupName: "Readers", PolicyName: "list", PolicyDocument: JSON.stringify(allow("servicediscovery:ListNamespaces")) }));
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "GroupGet", PolicyDocument: JSON.stringify(allow("servicediscovery:GetNamespace")) }));
    await client.send(new AttachGroupPolicyCommand({ GroupName: "Readers", PolicyArn: Policy!.Arn! }));
    await expectError(sd.send(new ListNamespacesCommand({})), "AccessDeniedException");
    await client.send(new AddUserToGroupCommand({ GroupName: "readers", UserName: "member" }));
    assert.ok((await sd.send(new ListNamespacesCommand({}))).Namespaces);
    assert.equal((await sd.send(new GetNamespaceCommand({ Id: namespaceId }))).Namespace?.Id, namespaceId);
    assert.deepEqual((await client.send(new GetGroupCommand({ GroupName: "Readers" }))).Users?.map((u) => u.UserName), ["member"]);
    assert.deepEqual((await client.send(new ListGroupsForUserCommand({ UserName: "member" }))).Groups?.map((g) => g.GroupName), ["Readers"]);
    assert.deepEqual((await client.send(new ListGroupsCommand({}))).Groups?.map((g) => g.GroupName), ["Readers"]);
    await assert.rejects(client.send(new DeleteGroupCommand({ GroupName: "Readers" })), (e: Error) => e.name === "DeleteConflictException" && /remove users from group/.test(e.message));
    await client.send(new RemoveUserFromGroupCommand({ GroupName: "Readers", UserName: "member" }));
    await expectError(sd.send(new ListNamespacesCommand({})), "AccessDeniedException");
    await assert.rejects(client.send(new DeleteGroupCommand({ GroupName: "Readers" })), (e: Error) => e.name === "DeleteConflictException" && /delete policies first/.test(e.message));
    await client.send(new DeleteGroupPolicyCommand({ GroupName: "Readers", PolicyName: "list" }));
    await client.send(new DetachGroupPolicyCommand({ GroupName: "Readers", PolicyArn: Policy!.Arn! }));
    await client.send(new DeleteGroupCommand({ GroupName: "Readers" }));
    await assert.rejects(client.send(new GetGroupCommand({ GroupName: "Readers" })), (e: Error) => e.name === "NoSuchEntityException");
  });

  it("evaluates a managed policy's default version", async () => {
    const client = iam(cairn);
    await client.send(new CreateUserCommand({ UserName: "versioned" }));
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "Versioned", PolicyDocument: JSON.stringify(allow("servicediscovery:ListServices")) }));
    const arn = Policy!.Arn!;
    await client.send(new AttachUserPolicyCommand({ UserName: "versioned", PolicyArn: arn }));
    const sd = cloudMap(as(cairn, await userWithKey(cairn, "versioned")));
    await expectError(sd.send(new ListNamespacesCommand({})), "AccessDeniedException");
    const v2 = await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(allow("servicediscovery:ListNamespaces")) }));
    assert.deepEqual([v2.PolicyVersion?.VersionId, v2.PolicyVersion?.IsDefaultVersion], ["v2", false]);
    await expectError(sd.send(new ListNamespacesCommand({})), "AccessDeniedException");
    await client.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
    assert.ok((await sd.send(new ListNamespacesCommand({}))).Namespaces, "the new default version applies at once");
    await expectError(sd.send(new ListServicesCommand({})), "AccessDeniedException");
    assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, "v2");
    const versions = await client.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(versions.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion]), [["v2", true], ["v1", false]]);
    const v1 = await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    assert.equal(JSON.parse(decodeURIComponent(v1.PolicyVersion!.Document!)).Statement[0].Action, "servicediscovery:ListServices");
    await assert.rejects(client.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })), (e: Error) => e.name === "DeleteConflictException");
    await client.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    for (let i = 0; i < 4; i++) await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(allow("servicediscovery:Get*")) }));
    await assert.rejects(
      client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: JSON.stringify(allow("servicediscovery:Get*")) })),
      (e: Error) => e.name === "LimitExceededException" && /up to 5 versions/.test(e.message),
    );
    assert.deepEqual((await client.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.map((v) => v.VersionId), ["v6", "v5", "v4", "v3", "v2"]);
  });

  it("caps a user's permissions with a permissions boundary", async () => {
    const client = iam(cairn);
    const sd = cloudMap(as(cairn, await userWithPolicy(cairn, "bounded", allow("servicediscovery:*"))));
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "ReadOnlyBoundary", PolicyDocument: JSON.stringify(allow(["servicediscovery:Get*", "servicediscovery:List*"])) }));
    await client.send(new PutUserPermissionsBoundaryCommand({ UserName: "bounded", PermissionsBoundary: Policy!.Arn! }));
    assert.equal((await client.send(new GetUserCommand({ UserName: "bounded" }))).User?.PermissionsBoundary?.PermissionsBoundaryArn, Policy!.Arn);
    assert.ok((await sd.send(new ListNamespacesCommand({}))).Namespaces);
    await expectError(
      sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("bounded") })),
      "AccessDeniedException",
      /because no permissions boundary allows the servicediscovery:CreateHttpNamespace action$/,
    );
    await client.send(new DeleteUserPermissionsBoundaryCommand({ UserName: "bounded" }));
    await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("unbounded") }));
  });

  it("substitutes policy variables: users manage their own keys only", async () => {
    const self = iam(
      as(cairn, await userWithPolicy(cairn, "self", allow(["iam:ListAccessKeys", "iam:CreateAccessKey"], `arn:aws:iam::${cairn.accountId}:user/\${aws:username}`))),
    );
    assert.equal((await self.send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.length, 1, "UserName defaults to the caller");
    assert.equal((await self.send(new ListAccessKeysCommand({ UserName: "self" }))).AccessKeyMetadata?.length, 1);
    await assert.rejects(self.send(new ListAccessKeysCommand({ UserName: "maria" })), (e: Error) => e.name === "AccessDenied");
  });

  it("denies IAM actions with awsQuery's AccessDenied (403)", async () => {
    const client = iam(as(cairn, await userWithPolicy(cairn, "noiam", allow("servicediscovery:*"))));
    await assert.rejects(client.send(new CreateUserCommand({ UserName: "x" })), (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, "AccessDenied");
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.equal(
        e.message,
        `User: arn:aws:iam::${cairn.accountId}:user/noiam is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${cairn.accountId}:user/x because no identity-based policy allows the iam:CreateUser action`,
      );
      return true;
    });
  });
});

async function userWithKey(cairn: CairnProcess, userName: string): Promise<Credentials> {
  const { AccessKey } = await iam(cairn).send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}
