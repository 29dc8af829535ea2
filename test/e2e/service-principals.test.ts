import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CLI, startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { expectError } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { allow, as, iam, sts } from "../support/identity.js";

describe("AWS service principals", () => {
  let cairn: CairnProcess;
  let ecs: Credentials;
  before(async () => {
    cairn = await startCairn();
    // Not execFileSync: the server shares this process's event loop.
    const { stdout: printed } = await promisify(execFile)(process.execPath, [CLI, "service-key", "--service", "ecs.amazonaws.com", "--data-dir", cairn.dataDir, "--store", cairn.store], { encoding: "utf8" });
    const key = JSON.parse(printed) as { accountId: string; service: string; accessKeyId: string; secretAccessKey: string };
    assert.equal(key.accountId, cairn.accountId);
    assert.equal(key.service, "ecs.amazonaws.com");
    ecs = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    const client = iam(cairn);
    await client.send(
      new CreateRoleCommand({
        RoleName: "TaskRole",
        AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      }),
    );
    await client.send(new PutRolePolicyCommand({ RoleName: "TaskRole", PolicyName: "read", PolicyDocument: JSON.stringify(allow("servicediscovery:List*")) }));
    await client.send(
      new CreateRoleCommand({
        RoleName: "LambdaRole",
        AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      }),
    );
  });
  after(async () => {
    await cairn.stop();
  });

  it("assumes a role that trusts the service, recorded as AWSService with invokedBy", async () => {
    const assumed = await sts(as(cairn, ecs)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${cairn.accountId}:role/TaskRole`, RoleSessionName: "task-1" }));
    const [event] = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: ecs.accessKeyId }] });
    const record = recordOf(event!);
    assert.equal(record.eventName, "AssumeRole");
    assert.deepEqual(record.userIdentity, { type: "AWSService", invokedBy: "ecs.amazonaws.com" });
    assert.equal(record.sourceIPAddress, "ecs.amazonaws.com");
    assert.equal(record.userAgent, "ecs.amazonaws.com");
    assert.equal(event!.Username, undefined, "service-initiated calls have no Username");

    const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    await cloudMap(as(cairn, session)).send(new ListNamespacesCommand({}));
    const [call] = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: session.accessKeyId }] });
    const identity = recordOf(call!).userIdentity as Record<string, unknown>;
    assert.equal(identity.type, "AssumedRole");
    assert.equal(identity.arn, `arn:aws:sts::${cairn.accountId}:assumed-role/TaskRole/task-1`);
    assert.equal(identity.invokedBy, "ecs.amazonaws.com");
  });

  it("may assume nothing else and call nothing else", async () => {
    await assert.rejects(
      sts(as(cairn, ecs)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${cairn.accountId}:role/LambdaRole`, RoleSessionName: "lambda-1" })),
      /because no role trust policy allows the sts:AssumeRole action/,
    );
    await expectError(cloudMap(as(cairn, ecs)).send(new ListNamespacesCommand({})), "AccessDeniedException", /^User: ecs.amazonaws.com is not authorized/);
  });
});
