import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AddTagsCommand,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  type CloudTrailClient,
} from "@aws-sdk/client-cloudtrail";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { expectError } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { as, userWithPolicy } from "../support/identity.js";

describe("IAM policies authorise CloudTrail's trail operations against the trail's ARN", () => {
  let cairn: CairnProcess;
  let root: CloudTrailClient;
  const arnOf = (name: string, region = "us-east-1") => `arn:aws:cloudtrail:${region}:${cairn.accountId}:trail/${name}`;
  const userArn = (name: string) => `arn:aws:iam::${cairn.accountId}:user/${name}`;

  before(async () => {
    cairn = await startCairn();
    fs.mkdirSync(path.join(cairn.dataDir, "buckets", "audit-bucket"), { recursive: true });
    root = cloudTrail(cairn);
    await root.send(new CreateTrailCommand({ Name: "allowed", S3BucketName: "audit-bucket", IsMultiRegionTrail: true }));
    await root.send(new CreateTrailCommand({ Name: "other", S3BucketName: "audit-bucket" }));
    await root.send(new CreateTrailCommand({ Name: "audited", S3BucketName: "audit-bucket", TagsList: [{ Key: "team", Value: "audit" }] }));
    await root.send(new CreateTrailCommand({ Name: "untagged", S3BucketName: "audit-bucket" }));
    for (const Name of ["audited", "untagged"]) await root.send(new StartLoggingCommand({ Name }));
  });
  after(async () => {
    await cairn.stop();
  });

  it("allows the actions granted on one trail's ARN, by name and by ARN, and denies them on another trail", async () => {
    const creds = await userWithPolicy(cairn, "trail-reader", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:StartLogging"], Resource: arnOf("allowed") },
        { Effect: "Allow", Action: ["cloudtrail:DescribeTrails", "cloudtrail:LookupEvents"], Resource: "*" },
      ],
    });
    const ct = cloudTrail(as(cairn, creds));
    for (const Name of ["allowed", arnOf("allowed")]) {
      assert.equal((await ct.send(new GetTrailCommand({ Name }))).Trail?.TrailARN, arnOf("allowed"));
      assert.equal(typeof (await ct.send(new GetTrailStatusCommand({ Name }))).IsLogging, "boolean");
      await ct.send(new StartLoggingCommand({ Name }));
    }
    assert.equal((await ct.send(new GetTrailStatusCommand({ Name: "allowed" }))).IsLogging, true);
    // A multi-region trail seen from another region by name is still its home-region ARN.
    assert.equal((await cloudTrail(as(cairn, creds), "eu-west-1").send(new GetTrailCommand({ Name: "allowed" }))).Trail?.TrailARN, arnOf("allowed"));
    assert.ok((await ct.send(new DescribeTrailsCommand({}))).trailList!.length >= 4, "DescribeTrails is authorised on *");

    const denied = await expectError(
      ct.send(new GetTrailCommand({ Name: "other" })),
      "AccessDeniedException",
      new RegExp(
        `^User: ${userArn("trail-reader")} is not authorized to perform: cloudtrail:GetTrail on resource: ${arnOf("other")} because no identity-based policy allows the cloudtrail:GetTrail action$`,
      ),
    );
    await expectError(ct.send(new GetTrailCommand({ Name: arnOf("other") })), "AccessDeniedException", new RegExp(`cloudtrail:GetTrail on resource: ${arnOf("other")} `));
    await expectError(ct.send(new GetTrailStatusCommand({ Name: "other" })), "AccessDeniedException", new RegExp(`cloudtrail:GetTrailStatus on resource: ${arnOf("other")} `));
    await expectError(ct.send(new StartLoggingCommand({ Name: "other" })), "AccessDeniedException", new RegExp(`cloudtrail:StartLogging on resource: ${arnOf("other")} `));
    assert.equal((await root.send(new GetTrailStatusCommand({ Name: "other" }))).IsLogging, false, "a denied StartLogging changes nothing");
    await expectError(
      ct.send(new CreateTrailCommand({ Name: "sneaky", S3BucketName: "audit-bucket" })),
      "AccessDeniedException",
      new RegExp(`cloudtrail:CreateTrail on resource: ${arnOf("sneaky")} because no identity-based policy allows the cloudtrail:CreateTrail action$`),
    );
    await expectError(root.send(new GetTrailCommand({ Name: "sneaky" })), "TrailNotFoundException");

    const events = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetTrail" }] });
    const record = events.map(recordOf).find((r) => r.errorCode === "AccessDenied" && r.requestParameters?.name === "other");
    assert.ok(record, "the denied GetTrail is recorded");
    assert.equal(record.eventSource, "cloudtrail.amazonaws.com");
    assert.equal(record.errorMessage, denied.message);
    assert.equal(record.responseElements, null);
    assert.equal((record.userIdentity as Record<string, string>).arn, userArn("trail-reader"));
  });

  it("holds aws:ResourceTag against the trail's tags", async () => {
    const auditor = as(
      cairn,
      await userWithPolicy(cairn, "auditor", {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "cloudtrail:StopLogging", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "audit" } } },
          // Read access by tag through a name resolved in another region: the tags of the home trail apply.
          { Effect: "Allow", Action: "cloudtrail:GetTrail", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "audit" } } },
        ],
      }),
    );
    const ct = cloudTrail(auditor);
    await ct.send(new StopLoggingCommand({ Name: "audited" }));
    assert.equal((await root.send(new GetTrailStatusCommand({ Name: "audited" }))).IsLogging, false);
    await expectError(
      ct.send(new StopLoggingCommand({ Name: "untagged" })),
      "AccessDeniedException",
      new RegExp(`cloudtrail:StopLogging on resource: ${arnOf("untagged")} because no identity-based policy allows the cloudtrail:StopLogging action$`),
    );
    assert.equal((await root.send(new GetTrailStatusCommand({ Name: "untagged" }))).IsLogging, true, "a denied StopLogging changes nothing");

    await expectError(ct.send(new GetTrailCommand({ Name: "allowed" })), "AccessDeniedException");
    await root.send(new AddTagsCommand({ ResourceId: arnOf("allowed"), TagsList: [{ Key: "team", Value: "audit" }] }));
    assert.equal((await ct.send(new GetTrailCommand({ Name: "allowed" }))).Trail?.Name, "allowed");
    assert.equal((await cloudTrail(auditor, "eu-west-1").send(new GetTrailCommand({ Name: "allowed" }))).Trail?.Name, "allowed", "a shadow trail's tags are its home trail's");
  });

  it("holds aws:RequestTag and aws:TagKeys on AddTags", async () => {
    const ct = cloudTrail(
      as(cairn, await userWithPolicy(cairn, "tagger", {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "cloudtrail:AddTags",
            Resource: arnOf("other"),
            Condition: { StringEquals: { "aws:RequestTag/env": ["dev", "test"] }, "ForAllValues:StringEquals": { "aws:TagKeys": ["env", "owner"] } },
          },
        ],
      })),
    );
    await ct.send(new AddTagsCommand({ ResourceId: arnOf("other"), TagsList: [{ Key: "env", Value: "dev" }, { Key: "owner", Value: "ana" }] }));
    await expectError(ct.send(new AddTagsCommand({ ResourceId: arnOf("other"), TagsList: [{ Key: "env", Value: "prod" }] })), "AccessDeniedException", /cloudtrail:AddTags/);
    await expectError(
      ct.send(new AddTagsCommand({ ResourceId: arnOf("other"), TagsList: [{ Key: "env", Value: "test" }, { Key: "cost", Value: "1" }] })),
      "AccessDeniedException",
      /cloudtrail:AddTags/,
    );
    await expectError(ct.send(new AddTagsCommand({ ResourceId: arnOf("untagged"), TagsList: [{ Key: "env", Value: "dev" }] })), "AccessDeniedException", /cloudtrail:AddTags/);
    const { ResourceTagList } = await root.send(new ListTagsCommand({ ResourceIdList: [arnOf("other")] }));
    assert.deepEqual(ResourceTagList?.[0]?.TagsList, [{ Key: "env", Value: "dev" }, { Key: "owner", Value: "ana" }], "only the allowed call tagged");
  });
});
