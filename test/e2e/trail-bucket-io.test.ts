import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateTrailCommand, UpdateTrailCommand, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CreateHttpNamespaceCommand, CreateServiceCommand, RegisterInstanceCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { startCairn, testAccount, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { createdNamespaceId, expectError, uniqueName } from "../support/cloudmap.js";
import { allow, as, userWithPolicy } from "../support/identity.js";
import { startStallingS3, until, type StallingS3 } from "../support/stalling-s3.js";

const BUCKET = "audit-slow";

describe("CreateTrail/UpdateTrail ask S3 about the bucket outside the write transaction", () => {
  let s3: StallingS3;
  let cairn: CairnProcess;
  let ct: CloudTrailClient;
  let sd: ServiceDiscoveryClient;
  let serviceId: string;

  before(async () => {
    s3 = await startStallingS3([BUCKET]);
    const account = testAccount();
    cairn = await startCairn({
      spawn: true,
      account,
      args: ["--s3-endpoint", s3.endpoint],
      env: { AWS_ACCESS_KEY_ID: account.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: account.credentials.secretAccessKey, AWS_REGION: "us-east-1" },
    });
    ct = cloudTrail(cairn);
    sd = cloudMap(cairn);
    const NamespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: uniqueName("slow-s3") }));
    serviceId = (await sd.send(new CreateServiceCommand({ Name: "svc", NamespaceId }))).Service!.Id!;
  });
  after(async () => {
    await cairn.stop();
    await s3.stop();
  });

  it("answers other writes (RegisterInstance) while a CreateTrail waits on HeadBucket", async () => {
    s3.holding = true;
    const asked = s3.heads.length;
    const creating = ct.send(new CreateTrailCommand({ Name: "waits", S3BucketName: BUCKET }));
    await until(() => s3.heads.length > asked, "CreateTrail's HeadBucket");
    const registering = sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: "i-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
    // Were the HeadBucket inside CreateTrail's transaction, RegisterInstance would wait for it forever: a deadlock
    // guard turns that into a failure (the S3 answer is then released so the server can stop).
    const guard = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("RegisterInstance waited for CreateTrail's HeadBucket")), 10_000).unref());
    try {
      const registered = await Promise.race([registering, guard]);
      assert.ok(registered.OperationId, "RegisterInstance answered");
      assert.equal(s3.holding, true, "the HeadBucket is still unanswered: the write did not wait for it");
    } finally {
      s3.release();
    }
    const created = await creating;
    assert.equal(created.TrailARN, `arn:aws:cloudtrail:us-east-1:${cairn.accountId}:trail/waits`);
    assert.equal(s3.heads.length, asked + 1, "one HeadBucket per call");
  });

  it("checks the stored bucket when UpdateTrail changes only the prefix, and a missing bucket answers S3BucketDoesNotExistException", async () => {
    const asked = s3.heads.length;
    await ct.send(new UpdateTrailCommand({ Name: "waits", S3KeyPrefix: "p" }));
    assert.deepEqual(s3.heads.slice(asked), [BUCKET]);
    await expectError(ct.send(new CreateTrailCommand({ Name: "nobucket", S3BucketName: "missing-bucket" })), "S3BucketDoesNotExistException", /missing-bucket does not exist/);
  });

  it("asks S3 nothing for a caller IAM denies, nor for a call an earlier check refuses", async () => {
    const creds = await userWithPolicy(cairn, "no-trails", allow("cloudtrail:GetTrail"));
    const asked = s3.heads.length;
    await expectError(cloudTrail(as(cairn, creds)).send(new CreateTrailCommand({ Name: "denied", S3BucketName: BUCKET })), "AccessDeniedException");
    await expectError(ct.send(new CreateTrailCommand({ Name: "waits", S3BucketName: BUCKET })), "TrailAlreadyExistsException");
    await expectError(ct.send(new CreateTrailCommand({ Name: "badname", S3BucketName: "Bad_Bucket" })), "InvalidS3BucketNameException");
    assert.deepEqual(s3.heads.slice(asked), []);
  });
});
