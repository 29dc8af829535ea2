import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateHttpNamespaceCommand,
  DeleteNamespaceCommand,
  GetNamespaceCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;

before(async () => {
  cairn = await startCairn();
  sd = cloudMap(cairn);
});
after(async () => {
  await cairn.stop();
});

async function namespaceArn(): Promise<string> {
  const id = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("tagged"), Tags: [{ Key: "a", Value: "1" }] }));
  return (await sd.send(new GetNamespaceCommand({ Id: id }))).Namespace!.Arn!;
}

const tagsOf = async (arn: string) => (await sd.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;

describe("tags", () => {
  test("TagResource adds and overwrites in place, UntagResource removes, absent keys are a no-op", async () => {
    const arn = await namespaceArn();
    await sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "one" }] }));
    assert.deepEqual(await tagsOf(arn), [{ Key: "a", Value: "one" }, { Key: "b", Value: "2" }]);
    await sd.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["a", "never-there"] }));
    assert.deepEqual(await tagsOf(arn), [{ Key: "b", Value: "2" }]);
  });

  test("more than 50 tags in all is TooManyTagsException naming the resource, and nothing is added", async () => {
    const arn = await namespaceArn();
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "" }));
    const error = await expectError(sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: tags })), "TooManyTagsException");
    assert.equal((error as unknown as { ResourceName: string }).ResourceName, arn);
    assert.deepEqual(await tagsOf(arn), [{ Key: "a", Value: "1" }]);
    await sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: tags.slice(0, 49) }));
    assert.equal((await tagsOf(arn))!.length, 50);
  });

  test("reserved aws: keys are InvalidInput", async () => {
    const arn = await namespaceArn();
    await expectError(sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: "AWS:x", Value: "v" }] })), "InvalidInput");
  });

  test("an unknown or deleted resource is ResourceNotFoundException; a malformed ARN is InvalidInput", async () => {
    const arn = await namespaceArn();
    await sd.send(new DeleteNamespaceCommand({ Id: arn }));
    await expectError(sd.send(new ListTagsForResourceCommand({ ResourceARN: arn })), "ResourceNotFoundException");
    await expectError(sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: "k", Value: "v" }] })), "ResourceNotFoundException");
    await expectError(sd.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["k"] })), "ResourceNotFoundException");
    const westArn = arn.replace(":us-east-1:", ":us-west-2:");
    await expectError(sd.send(new ListTagsForResourceCommand({ ResourceARN: westArn })), "ResourceNotFoundException");
    await expectError(sd.send(new ListTagsForResourceCommand({ ResourceARN: "not-an-arn" })), "InvalidInput");
  });
});
