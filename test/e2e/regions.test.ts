import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateHttpNamespaceCommand, ListNamespacesCommand } from "@aws-sdk/client-servicediscovery";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";
import { sts } from "../support/identity.js";
import { send } from "../support/raw.js";
import { storeHolds } from "../support/store-contents.js";

const scopeMessage = (region: string): string => `Credential should be scoped to a valid region, not '${region}'. `;

async function servedRegions(cairn: CairnProcess): Promise<string[]> {
  const res = await send({ url: `${cairn.url}/_cairn/regions`, method: "GET", headers: {}, body: "" });
  assert.equal(res.status, 200);
  assert.match(String(res.headers["content-type"]), /^application\/json/);
  return JSON.parse(res.body) as string[];
}

describe("only served regions", () => {
  let cairn: CairnProcess;
  before(async () => {
    cairn = await startCairn({ args: ["--regions", "local-1,eu-future-7"] });
  });
  after(async () => {
    await cairn.stop();
  });

  test("a made-up region is refused before any work, with AWS's error, and leaves nothing behind", async () => {
    const region = "xx-fake-1";
    const sd = cloudMap(cairn, region);
    const e = await expectError(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("fake") })), "InvalidSignatureException");
    assert.equal(e.message, scopeMessage(region));
    assert.equal(e.$metadata.httpStatusCode, 400);
    await expectError(sd.send(new ListNamespacesCommand({})), "InvalidSignatureException");
    await expectError(cloudTrail(cairn, region).send(new DescribeTrailsCommand({})), "InvalidSignatureException");
    assert.equal(await storeHolds(cairn, region), false, "no namespace, operation or event of the region was stored");
  });

  test("the query APIs answer SignatureDoesNotMatch (403) with the same message", async () => {
    await assert.rejects(sts(cairn, "zz-nowhere-9").send(new GetCallerIdentityCommand({})), (e: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, "SignatureDoesNotMatch");
      assert.equal(e.message, scopeMessage("zz-nowhere-9"));
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
  });

  test("regions of partitions Cairn does not serve are refused the same way", async () => {
    for (const region of ["cn-north-1", "us-gov-west-1", "us-iso-east-1", "aws-global"]) {
      const e = await expectError(cloudMap(cairn, region).send(new ListNamespacesCommand({})), "InvalidSignatureException");
      assert.equal(e.message, scopeMessage(region));
    }
  });

  test("every region of the aws partition and every --regions name works; ARNs are arn:aws:", async () => {
    for (const region of ["us-east-1", "eu-west-3", "ap-southeast-7", "mx-central-1", "local-1", "eu-future-7"]) {
      const sd = cloudMap(cairn, region);
      const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("served") }));
      const { Namespaces } = await sd.send(new ListNamespacesCommand({}));
      assert.deepEqual(Namespaces!.map((ns) => ns.Arn), [`arn:aws:servicediscovery:${region}:${cairn.accountId}:namespace/${id}`]);
    }
  });

  test("GET /_cairn/regions lists exactly the served regions, unsigned", async () => {
    const regions = await servedRegions(cairn);
    assert.deepEqual(regions, [...regions].sort(), "sorted");
    for (const region of ["us-east-1", "us-west-2", "eu-central-1", "af-south-1", "local-1", "eu-future-7"]) assert.ok(regions.includes(region), region);
    for (const region of ["cn-north-1", "us-gov-west-1", "aws-global", "xx-fake-1"]) assert.ok(!regions.includes(region), region);
  });
});

describe("region options", () => {
  test("without --regions Cairn serves the aws partition only", async () => {
    const cairn = await startCairn({ env: { CAIRN_REGIONS: "" } });
    try {
      const regions = await servedRegions(cairn);
      assert.ok(regions.includes("us-east-1") && regions.includes("il-central-1"));
      assert.ok(!regions.includes("local-1"));
      assert.ok(regions.every((r) => /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/.test(r)), regions.join(" "));
    } finally {
      await cairn.stop();
    }
  });

  test("CAIRN_REGIONS adds regions as --regions does, and the default --region may be one of them", async () => {
    const cairn = await startCairn({ args: ["--region", "on-prem-1"], env: { CAIRN_REGIONS: "on-prem-1" } });
    try {
      assert.ok((await servedRegions(cairn)).includes("on-prem-1"));
      await cloudMap(cairn, "on-prem-1").send(new ListNamespacesCommand({}));
    } finally {
      await cairn.stop();
    }
  });

  test("a default --region that is not served, or a --regions name of another partition or shape, stops the start", async () => {
    await assert.rejects(startCairn({ spawn: true, args: ["--region", "xx-fake-1"] }), /exited with 1 before listening[\s\S]*--region xx-fake-1 is not a served region/);
    await assert.rejects(startCairn({ spawn: true, args: ["--regions", "cn-north-1"] }), /exited with 1 before listening[\s\S]*cn-north-1 belongs to the aws-cn partition/);
    await assert.rejects(startCairn({ spawn: true, args: ["--regions", "../etc"] }), /exited with 1 before listening[\s\S]*--regions: '\.\.\/etc' is not a region name/);
  });
});
