import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AddTagsCommand,
  CreateTrailCommand,
  DeleteTrailCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  type CloudTrailClient,
} from "@aws-sdk/client-cloudtrail";
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import {
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  DeregisterInstanceCommand,
  GetNamespaceCommand,
  TagResourceCommand,
  UpdateHttpNamespaceCommand,
  type ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { uniqueName } from "../support/cloudmap.js";
import { iam } from "../support/identity.js";
import { namespace, register } from "../support/registry.js";
import { bucket } from "../support/trails.js";

/** LookupEvents' Resources let a lookup by one resource name follow that resource through every call of its life. */
describe("event resources", () => {
  let cairn: CairnProcess;
  let ct: CloudTrailClient;
  let sd: ServiceDiscoveryClient;

  before(async () => {
    cairn = await startCairn();
    ct = cloudTrail(cairn);
    sd = cloudMap(cairn);
  });
  after(async () => {
    await cairn.stop();
  });

  /** The events a ResourceName lookup finds: event name → the resource types the event gives that name. */
  const eventsNaming = async (name: string) => {
    const events = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: name }] });
    return events.map((e) => [e.EventName!, (e.Resources ?? []).filter((r) => r.ResourceName === name).map((r) => r.ResourceType!)] as const);
  };
  const namesOf = (found: readonly (readonly [string, string[]])[]) => found.map(([n]) => n).sort();

  test("IAM events name users and roles by name, managed policies by ARN, inline policies by name, access keys by ID", async () => {
    const client = iam(cairn);
    const userName = uniqueName("auditor");
    const roleName = uniqueName("deployer");
    await client.send(new CreateUserCommand({ UserName: userName }));
    await client.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "read-only", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "servicediscovery:Get*", Resource: "*" }] }) }));
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
    await client.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: AccessKey!.AccessKeyId, Status: "Inactive" }));
    await client.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: AccessKey!.AccessKeyId }));
    await client.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${cairn.accountId}:root` }, Action: "sts:AssumeRole" }] }) }));
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: uniqueName("deploy"), PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "servicediscovery:*", Resource: "*" }] }) }));
    await client.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: Policy!.Arn }));

    const user = await eventsNaming(userName);
    assert.deepEqual(namesOf(user), ["CreateAccessKey", "CreateUser", "DeleteAccessKey", "PutUserPolicy", "UpdateAccessKey"]);
    assert.ok(user.every(([, types]) => types.length === 1 && types[0] === "AWS::IAM::User"));
    const key = await eventsNaming(AccessKey!.AccessKeyId!);
    assert.deepEqual(namesOf(key), ["CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey"]);
    assert.ok(key.every(([, types]) => types[0] === "AWS::IAM::AccessKey"));
    assert.deepEqual(namesOf(await eventsNaming(roleName)), ["AttachRolePolicy", "CreateRole"]);
    const policy = await eventsNaming(Policy!.Arn!);
    assert.deepEqual(namesOf(policy), ["AttachRolePolicy", "CreatePolicy"]);
    assert.ok(policy.every(([, types]) => types[0] === "AWS::IAM::Policy"));
    assert.deepEqual(namesOf(await eventsNaming("read-only")), ["PutUserPolicy"]);
  });

  test("a namespace is named by its ID and its ARN, under its type, in every event of its life", async () => {
    const ns = await namespace(sd, "http");
    await sd.send(new UpdateHttpNamespaceCommand({ Id: ns.id, Namespace: { Description: "audited" } }));
    await sd.send(new TagResourceCommand({ ResourceARN: ns.arn, Tags: [{ Key: "team", Value: "payments" }] }));
    const { Service } = await sd.send(new CreateServiceCommand({ Name: uniqueName("svc"), NamespaceId: ns.arn }));
    await register(sd, Service!.Id!, "i-1");
    await sd.send(new DeregisterInstanceCommand({ ServiceId: Service!.Arn, InstanceId: "i-1" }));
    await sd.send(new DeleteServiceCommand({ Id: Service!.Id }));
    await sd.send(new GetNamespaceCommand({ Id: ns.arn }));
    await sd.send(new DeleteNamespaceCommand({ Id: ns.id }));

    const life = ["CreateHttpNamespace", "CreateService", "DeleteNamespace", "GetNamespace", "GetNamespace", "TagResource", "UpdateHttpNamespace"];
    for (const name of [ns.id, ns.arn]) {
      const found = await eventsNaming(name);
      assert.deepEqual(namesOf(found), life, `by ${name}`);
      assert.ok(found.every(([, types]) => types.length === 1 && types[0] === "AWS::ServiceDiscovery::HttpNamespace"), JSON.stringify(found));
    }
    // A service likewise, by ID and by ARN, whichever the call was given.
    const serviceLife = ["CreateService", "DeleteService", "DeregisterInstance", "RegisterInstance"];
    assert.deepEqual(namesOf(await eventsNaming(Service!.Id!)), serviceLife);
    assert.deepEqual(namesOf(await eventsNaming(Service!.Arn!)), serviceLife);
  });

  test("a trail is named by its ARN in every event, whether the call gave its name or its ARN", async () => {
    bucket(cairn, "resources-bucket");
    const Name = uniqueName("trail");
    const { TrailARN } = await ct.send(new CreateTrailCommand({ Name, S3BucketName: "resources-bucket" }));
    await ct.send(new StartLoggingCommand({ Name }));
    await ct.send(new GetTrailStatusCommand({ Name }));
    await ct.send(new GetTrailCommand({ Name }));
    await ct.send(new AddTagsCommand({ ResourceId: TrailARN, TagsList: [{ Key: "k", Value: "v" }] }));
    await ct.send(new DeleteTrailCommand({ Name }));
    const found = await eventsNaming(TrailARN!);
    assert.deepEqual(namesOf(found), ["AddTags", "CreateTrail", "DeleteTrail", "GetTrail", "GetTrailStatus", "StartLogging"]);
    assert.ok(found.every(([, types]) => types.length === 1 && types[0] === "AWS::CloudTrail::Trail"));
    assert.deepEqual(await eventsNaming(Name), [], "a call that found the trail names it by ARN, not as given");
  });
});
