import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  AddTagsCommand,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  ListTagsCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
  type CloudTrailClient,
} from "@aws-sdk/client-cloudtrail";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { expectError } from "../support/cloudmap.js";

describe("trail API", () => {
  let cairn: CairnProcess;
  let ct: CloudTrailClient;
  let eu: CloudTrailClient;
  let n = 0;
  const name = (p: string) => `${p}-${++n}`;

  before(async () => {
    cairn = await startCairn();
    fs.mkdirSync(path.join(cairn.dataDir, "buckets", "audit-bucket"), { recursive: true });
    ct = cloudTrail(cairn);
    eu = cloudTrail(cairn, "eu-west-1");
  });
  after(async () => {
    await cairn.stop();
  });

  test("CreateTrail answers AWS's shape; GetTrail adds HomeRegion and omits unset strings; the trail is not logging", async () => {
    const Name = name("basic");
    const created = await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" }));
    assert.deepEqual(
      { ...created, $metadata: undefined },
      {
        $metadata: undefined,
        Name,
        S3BucketName: "audit-bucket",
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: false,
        TrailARN: `arn:aws:cloudtrail:us-east-1:${cairn.accountId}:trail/${Name}`,
        LogFileValidationEnabled: false,
        IsOrganizationTrail: false,
      },
    );
    const { Trail } = await ct.send(new GetTrailCommand({ Name }));
    assert.equal(Trail!.HomeRegion, "us-east-1");
    assert.equal(Trail!.HasCustomEventSelectors, false);
    assert.equal(Trail!.HasInsightSelectors, false);
    assert.ok(!("S3KeyPrefix" in Trail!));
    assert.equal((await ct.send(new GetTrailStatusCommand({ Name }))).IsLogging, false);
    // By ARN too.
    assert.equal((await ct.send(new GetTrailCommand({ Name: created.TrailARN }))).Trail!.Name, Name);
    await ct.send(new DeleteTrailCommand({ Name }));
    await expectError(ct.send(new GetTrailCommand({ Name })), "TrailNotFoundException", new RegExp(`^Unknown trail: ${Name} for the user: ${cairn.accountId}$`));
    // GetTrailStatus and GetEventSelectors name an unknown trail by the ARN it would have here, as AWS does.
    const arnForm = new RegExp(`^Unknown trail: arn:aws:cloudtrail:us-east-1:${cairn.accountId}:trail/${Name} for the user: ${cairn.accountId}$`);
    await expectError(ct.send(new GetTrailStatusCommand({ Name })), "TrailNotFoundException", arnForm);
    await expectError(ct.send(new GetEventSelectorsCommand({ TrailName: Name })), "TrailNotFoundException", arnForm);
  });

  test("name rules, bucket rules and duplicates answer AWS's errors", async () => {
    await expectError(ct.send(new CreateTrailCommand({ Name: "ab", S3BucketName: "audit-bucket" })), "InvalidTrailNameException", /too short.*Specified name length: 2/);
    await expectError(ct.send(new CreateTrailCommand({ Name: "-abc", S3BucketName: "audit-bucket" })), "InvalidTrailNameException", /must starts with a letter or number/);
    await expectError(ct.send(new CreateTrailCommand({ Name: "abc-", S3BucketName: "audit-bucket" })), "InvalidTrailNameException", /must ends with a letter or number/);
    await expectError(ct.send(new CreateTrailCommand({ Name: "a b c", S3BucketName: "audit-bucket" })), "InvalidTrailNameException", /can only contain/);
    await expectError(ct.send(new CreateTrailCommand({ Name: "my--trail", S3BucketName: "audit-bucket" })), "InvalidTrailNameException");
    await expectError(ct.send(new CreateTrailCommand({ Name: "192.168.5.4", S3BucketName: "audit-bucket" })), "InvalidTrailNameException");
    await expectError(ct.send(new CreateTrailCommand({ Name: name("t"), S3BucketName: "Bad_Bucket" })), "InvalidS3BucketNameException");
    await expectError(ct.send(new CreateTrailCommand({ Name: name("t"), S3BucketName: "no-such-bucket" })), "S3BucketDoesNotExistException", /no-such-bucket/);
    await expectError(
      ct.send(new CreateTrailCommand({ Name: name("t"), S3BucketName: "audit-bucket", IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })),
      "InvalidParameterCombinationException",
      /Multi-Region trail must include global service events/,
    );
    const Name = name("dup");
    await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" }));
    await expectError(ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" })), "TrailAlreadyExistsException");
    await expectError(ct.send(new GetTrailCommand({ Name: "arn:aws:cloudtrail:us-east-1:nope" })), "CloudTrailARNInvalidException");
    // No SNS topic exists here, so every SnsTopicName gets AWS's answer for a missing topic, and nothing changes.
    const noTopic = /^SNS Topic does not exist or the topic policy is incorrect!$/;
    await expectError(ct.send(new CreateTrailCommand({ Name: name("sns"), S3BucketName: "audit-bucket", SnsTopicName: "alerts" })), "InsufficientSnsTopicPolicyException", noTopic);
    await expectError(ct.send(new UpdateTrailCommand({ Name, SnsTopicName: "alerts" })), "InsufficientSnsTopicPolicyException", noTopic);
    assert.equal((await ct.send(new GetTrailCommand({ Name }))).Trail!.SnsTopicName, undefined);
    await ct.send(new DeleteTrailCommand({ Name }));
  });

  test("five trails per region, then MaximumNumberOfTrailsExceededException; the name is free again after DeleteTrail", async () => {
    const names = Array.from({ length: 5 }, () => name("quota"));
    for (const Name of names) await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" }));
    await expectError(ct.send(new CreateTrailCommand({ Name: name("quota"), S3BucketName: "audit-bucket" })), "MaximumNumberOfTrailsExceededException");
    assert.equal((await ct.send(new ListTrailsCommand({}))).Trails!.length, 5);
    for (const Name of names) await ct.send(new DeleteTrailCommand({ Name }));
    await ct.send(new CreateTrailCommand({ Name: names[0], S3BucketName: "audit-bucket" }));
    await ct.send(new DeleteTrailCommand({ Name: names[0] }));
  });

  test("a multi-region trail has read-only shadows in other regions", async () => {
    const Name = name("multi");
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket", IsMultiRegionTrail: true }));
    const shadow = (await eu.send(new GetTrailCommand({ Name }))).Trail!;
    assert.equal(shadow.HomeRegion, "us-east-1");
    assert.equal(shadow.TrailARN, TrailARN);
    assert.deepEqual((await eu.send(new ListTrailsCommand({}))).Trails, [{ TrailARN, Name, HomeRegion: "us-east-1" }]);
    assert.equal((await eu.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList!.length, 0);
    assert.equal((await eu.send(new DescribeTrailsCommand({}))).trailList!.length, 1);
    await expectError(eu.send(new StartLoggingCommand({ Name: TrailARN })), "InvalidHomeRegionException");
    await expectError(eu.send(new UpdateTrailCommand({ Name: TrailARN, S3KeyPrefix: "x" })), "InvalidHomeRegionException");
    await expectError(eu.send(new DeleteTrailCommand({ Name: TrailARN })), "InvalidHomeRegionException");
    await expectError(eu.send(new GetTrailStatusCommand({ Name })), "TrailNotFoundException");
    assert.equal((await eu.send(new GetTrailStatusCommand({ Name: TrailARN }))).IsLogging, false);
    await expectError(eu.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" })), "TrailAlreadyExistsException");
    // Switching to single-region turns global events off; the shadow disappears.
    const single = await ct.send(new UpdateTrailCommand({ Name, IsMultiRegionTrail: false }));
    assert.equal(single.IncludeGlobalServiceEvents, false);
    await expectError(eu.send(new GetTrailCommand({ Name })), "TrailNotFoundException");
    await ct.send(new DeleteTrailCommand({ Name }));
  });

  test("event selectors: the default, basic and advanced ones, and their errors", async () => {
    const Name = name("sel");
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" }));
    const initial = await ct.send(new GetEventSelectorsCommand({ TrailName: Name }));
    assert.deepEqual(initial.EventSelectors, [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    const put = await ct.send(new PutEventSelectorsCommand({ TrailName: Name, EventSelectors: [{ ReadWriteType: "WriteOnly" }] }));
    assert.equal(put.TrailARN, TrailARN);
    assert.equal(put.EventSelectors![0]!.ReadWriteType, "WriteOnly");
    assert.equal((await ct.send(new GetTrailCommand({ Name }))).Trail!.HasCustomEventSelectors, true);
    const advanced = [{ Name: "writes", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["false"] }] }];
    await ct.send(new PutEventSelectorsCommand({ TrailName: Name, AdvancedEventSelectors: advanced }));
    const got = await ct.send(new GetEventSelectorsCommand({ TrailName: TrailARN }));
    assert.deepEqual(got.AdvancedEventSelectors, advanced);
    assert.equal(got.EventSelectors, undefined);
    await expectError(
      ct.send(new PutEventSelectorsCommand({ TrailName: Name, EventSelectors: [{}], AdvancedEventSelectors: advanced })),
      "InvalidParameterCombinationException",
    );
    await expectError(ct.send(new PutEventSelectorsCommand({ TrailName: Name, EventSelectors: Array.from({ length: 6 }, () => ({})) })), "InvalidEventSelectorsException");
    await expectError(
      ct.send(new PutEventSelectorsCommand({ TrailName: Name, AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "readOnly", Equals: ["true"] }] }] })),
      "InvalidEventSelectorsException",
    );
    await expectError(
      ct.send(new PutEventSelectorsCommand({ TrailName: Name, EventSelectors: [{ ExcludeManagementEventSources: ["iam.amazonaws.com"] }] })),
      "InvalidEventSelectorsException",
    );
    await expectError(ct.send(new PutEventSelectorsCommand({ TrailName: "nope-trail", EventSelectors: [{}] })), "TrailNotFoundException");
    await ct.send(new DeleteTrailCommand({ Name }));
  });

  test("tags: AddTags, ListTags, RemoveTags and their errors", async () => {
    const Name = name("tags");
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket", TagsList: [{ Key: "team", Value: "core" }] }));
    await ct.send(new AddTagsCommand({ ResourceId: TrailARN, TagsList: [{ Key: "env", Value: "dev" }, { Key: "flag" }] }));
    const listed = await ct.send(new ListTagsCommand({ ResourceIdList: [TrailARN!] }));
    assert.deepEqual(listed.ResourceTagList, [{ ResourceId: TrailARN, TagsList: [{ Key: "team", Value: "core" }, { Key: "env", Value: "dev" }, { Key: "flag" }] }]);
    await ct.send(new RemoveTagsCommand({ ResourceId: TrailARN, TagsList: [{ Key: "team" }] }));
    assert.deepEqual((await ct.send(new ListTagsCommand({ ResourceIdList: [TrailARN!] }))).ResourceTagList![0]!.TagsList!.map((t) => t.Key), ["env", "flag"]);
    await expectError(ct.send(new AddTagsCommand({ ResourceId: TrailARN, TagsList: [{ Key: "a" }, { Key: "a" }] })), "InvalidTagParameterException");
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}` }));
    await expectError(ct.send(new AddTagsCommand({ ResourceId: TrailARN, TagsList: many })), "TagsLimitExceededException");
    const missing = `arn:aws:cloudtrail:us-east-1:${cairn.accountId}:trail/missing-trail`;
    await expectError(ct.send(new ListTagsCommand({ ResourceIdList: [missing] })), "ResourceNotFoundException");
    await expectError(ct.send(new AddTagsCommand({ ResourceId: "not-an-arn", TagsList: [{ Key: "a" }] })), "CloudTrailARNInvalidException");
    await ct.send(new DeleteTrailCommand({ Name }));
  });

  test("ListPublicKeys lists no key where no digest was signed, and checks its time range", async () => {
    // Keys appear once a trail signs a digest in the region (abuse-hardening.test.ts); the key format is in unit tests.
    assert.deepEqual((await ct.send(new ListPublicKeysCommand({}))).PublicKeyList, []);
    assert.deepEqual((await eu.send(new ListPublicKeysCommand({ StartTime: new Date(0) }))).PublicKeyList, []);
    await expectError(ct.send(new ListPublicKeysCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 3_600_000) })), "InvalidTimeRangeException");
  });

  test("trail calls are recorded in Event history with the trail as resource", async () => {
    const Name = name("audit");
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket" }));
    const events = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: TrailARN! }] });
    const create = events.find((e) => e.EventName === "CreateTrail");
    assert.ok(create, "CreateTrail is in Event history");
    assert.deepEqual(create.Resources, [{ ResourceType: "AWS::CloudTrail::Trail", ResourceName: TrailARN }]);
    assert.equal(JSON.parse(create.CloudTrailEvent!).responseElements.trailARN, TrailARN);
    await ct.send(new DeleteTrailCommand({ Name }));
  });
});
