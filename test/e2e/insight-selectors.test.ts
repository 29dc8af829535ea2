import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  type CloudTrailClient,
} from "@aws-sdk/client-cloudtrail";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { expectError } from "../support/cloudmap.js";
import { bucket } from "../support/trails.js";

describe("Insights selectors on trails", () => {
  let cairn: CairnProcess;
  let ct: CloudTrailClient;
  let eu: CloudTrailClient;
  let n = 0;
  const trail = async () => {
    const Name = `insights-${++n}`;
    return (await ct.send(new CreateTrailCommand({ Name, S3BucketName: "audit-bucket", IsMultiRegionTrail: true }))) as { Name: string; TrailARN: string };
  };

  before(async () => {
    cairn = await startCairn();
    bucket(cairn, "audit-bucket");
    [ct, eu] = [cloudTrail(cairn), cloudTrail(cairn, "eu-west-1")];
  });
  after(() => cairn.stop());

  test("Put then Get; GetTrail and DescribeTrails report HasInsightSelectors; an empty list turns Insights off", async () => {
    const { Name, TrailARN } = await trail();
    await expectError(ct.send(new GetInsightSelectorsCommand({ TrailName: Name })), "InsightNotEnabledException", new RegExp(Name));
    const selectors = [{ InsightType: "ApiCallRateInsight" as const }, { InsightType: "ApiErrorRateInsight" as const }];
    const put = await ct.send(new PutInsightSelectorsCommand({ TrailName: Name, InsightSelectors: selectors }));
    assert.equal(put.TrailARN, TrailARN);
    assert.deepEqual(put.InsightSelectors, selectors);
    const got = await ct.send(new GetInsightSelectorsCommand({ TrailName: TrailARN }));
    assert.deepEqual({ TrailARN: got.TrailARN, InsightSelectors: got.InsightSelectors }, { TrailARN, InsightSelectors: selectors });
    assert.equal((await ct.send(new GetTrailCommand({ Name }))).Trail!.HasInsightSelectors, true);
    assert.equal((await ct.send(new DescribeTrailsCommand({ trailNameList: [Name] }))).trailList![0]!.HasInsightSelectors, true);
    // A shadow reads them by name; changes happen in the home region only.
    assert.deepEqual((await eu.send(new GetInsightSelectorsCommand({ TrailName: Name }))).InsightSelectors, selectors);
    await expectError(eu.send(new PutInsightSelectorsCommand({ TrailName: TrailARN, InsightSelectors: [] })), "InvalidHomeRegionException");

    await ct.send(new PutInsightSelectorsCommand({ TrailName: Name, InsightSelectors: [] }));
    assert.equal((await ct.send(new GetTrailCommand({ Name }))).Trail!.HasInsightSelectors, false);
    await expectError(ct.send(new GetInsightSelectorsCommand({ TrailName: Name })), "InsightNotEnabledException");
  });

  test("AWS's validation: types, duplicates, the trail's management events, unknown trails, event data stores; nothing changes", async () => {
    const { Name } = await trail();
    const refused = async (InsightSelectors: object[], code: string) => {
      await expectError(ct.send(new PutInsightSelectorsCommand({ TrailName: Name, InsightSelectors: InsightSelectors as never })), code);
      assert.equal((await ct.send(new GetTrailCommand({ Name }))).Trail!.HasInsightSelectors, false);
    };
    await refused([{ InsightType: "ApiLatencyInsight" }], "InvalidInsightSelectorsException");
    await refused([{}], "InvalidInsightSelectorsException");
    await refused([{ InsightType: "ApiCallRateInsight" }, { InsightType: "ApiCallRateInsight" }], "InvalidInsightSelectorsException");
    // Call-rate Insights need write management events; error-rate Insights need reads or writes.
    await ct.send(new PutEventSelectorsCommand({ TrailName: Name, EventSelectors: [{ ReadWriteType: "ReadOnly" }] }));
    await refused([{ InsightType: "ApiCallRateInsight" }], "InvalidInsightSelectorsException");
    await ct.send(new PutInsightSelectorsCommand({ TrailName: Name, InsightSelectors: [{ InsightType: "ApiErrorRateInsight" }] }));
    await ct.send(new PutEventSelectorsCommand({ TrailName: Name, EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: false }] }));
    await expectError(ct.send(new PutInsightSelectorsCommand({ TrailName: Name, InsightSelectors: [{ InsightType: "ApiErrorRateInsight" }] })), "InvalidInsightSelectorsException");

    const unknownArn = new RegExp(`^Unknown trail: arn:aws:cloudtrail:us-east-1:${cairn.accountId}:trail/no-such-trail for the user: ${cairn.accountId}$`);
    await expectError(ct.send(new GetInsightSelectorsCommand({ TrailName: "no-such-trail" })), "TrailNotFoundException", unknownArn);
    await expectError(ct.send(new PutInsightSelectorsCommand({ TrailName: "no-such-trail", InsightSelectors: [] })), "TrailNotFoundException");
    await expectError(ct.send(new PutInsightSelectorsCommand({ InsightSelectors: [] })), "InvalidParameterCombinationException");
    await expectError(
      ct.send(new PutInsightSelectorsCommand({ TrailName: Name, EventDataStore: "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/x", InsightSelectors: [] })),
      "InvalidParameterCombinationException",
    );
    await expectError(ct.send(new GetInsightSelectorsCommand({ EventDataStore: "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/x" })), "UnsupportedOperationException");
  });

  test("both calls are recorded as CloudTrail management events naming the trail", async () => {
    const { Name, TrailARN } = await trail();
    await ct.send(new PutInsightSelectorsCommand({ TrailName: Name, InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] }));
    await ct.send(new GetInsightSelectorsCommand({ TrailName: Name }));
    const events = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: TrailARN }] });
    const names = events.map((e) => e.EventName);
    assert.ok(names.includes("PutInsightSelectors") && names.includes("GetInsightSelectors"), names.join(","));
    const put = events.find((e) => e.EventName === "PutInsightSelectors")!;
    assert.equal(put.ReadOnly, "false");
    assert.deepEqual(JSON.parse(put.CloudTrailEvent!).requestParameters, { trailName: Name, insightSelectors: [{ insightType: "ApiCallRateInsight" }] });
  });
});
