import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeServiceException,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
  type EventBridgeClient,
} from "@aws-sdk/client-eventbridge";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { uniqueName } from "../support/cloudmap.js";
import { eventBridge, LOOPBACK_TARGETS } from "../support/eventbridge.js";

async function expectEbError(call: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof EventBridgeServiceException, String(error));
    assert.equal(error.name, code, error.message);
    assert.equal(error.$metadata.httpStatusCode, 400);
    if (message) assert.match(error.message, message);
    return;
  }
  assert.fail(`expected ${code}`);
}

const PATTERN = JSON.stringify({ source: ["aws.servicediscovery"] });

describe("EventBridge API", () => {
  let cairn: CairnProcess;
  let eb: EventBridgeClient;
  before(async () => {
    cairn = await startCairn({ args: LOOPBACK_TARGETS });
    eb = eventBridge(cairn);
  });
  after(() => cairn.stop());

  it("creates, describes, lists, enables, disables and deletes rules with AWS's ARNs and errors", async () => {
    const name = uniqueName("r");
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Description: "d" }));
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${cairn.accountId}:rule/${name}`);
    const described = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(described.State, "ENABLED");
    assert.equal(described.EventPattern, PATTERN);
    assert.equal(described.EventBusName, "default");
    assert.equal(described.CreatedBy, cairn.accountId);
    assert.equal(described.Description, "d");
    // PutRule replaces: an omitted Description is cleared.
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" }));
    const replaced = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(replaced.Description, undefined);
    assert.equal(replaced.State, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    await eb.send(new DisableRuleCommand({ Name: name }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, "DISABLED");
    await eb.send(new EnableRuleCommand({ Name: name }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: name }))).State, "ENABLED");
    const listed = await eb.send(new ListRulesCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Rules?.map((r) => r.Name), [name]);
    await eb.send(new DeleteRuleCommand({ Name: name }));
    await expectEbError(eb.send(new DescribeRuleCommand({ Name: name })), "ResourceNotFoundException", new RegExp(`^Rule ${name} does not exist on EventBus default\\.$`));
    await expectEbError(eb.send(new EnableRuleCommand({ Name: name })), "ResourceNotFoundException");
  });

  it("pages ListRules by NamePrefix", async () => {
    const prefix = uniqueName("page");
    for (let i = 0; i < 5; i++) await eb.send(new PutRuleCommand({ Name: `${prefix}-${i}`, EventPattern: PATTERN }));
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await eb.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 2, NextToken }));
      assert.ok((page.Rules?.length ?? 0) <= 2);
      names.push(...(page.Rules ?? []).map((r) => r.Name!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(names, [0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    await expectEbError(eb.send(new ListRulesCommand({ NextToken: "garbage!" })), "ValidationException");
  });

  it("refuses bad rules with AWS's errors and changes nothing", async () => {
    const name = uniqueName("bad");
    await expectEbError(eb.send(new PutRuleCommand({ Name: name })), "ValidationException", /EventPattern or ScheduleExpression/);
    await expectEbError(eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: "rate(5 minutes)" })), "ValidationException", /ScheduleExpression/);
    await expectEbError(eb.send(new PutRuleCommand({ Name: name, EventPattern: "{not json" })), "InvalidEventPatternException");
    await expectEbError(eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, EventBusName: "other" })), "ResourceNotFoundException", /^Event bus other does not exist\.$/);
    await expectEbError(eb.send(new PutRuleCommand({ Name: "bad name!", EventPattern: PATTERN })), "ValidationException");
    await expectEbError(eb.send(new DescribeRuleCommand({ Name: name })), "ResourceNotFoundException");
  });

  it("manages targets with per-entry failures, refuses deleting a rule with targets, and lists rules by target", async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: uniqueName("c"), AuthorizationType: "BASIC", AuthParameters: { BasicAuthParameters: { Username: "u", Password: "p" } } }));
    const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: uniqueName("d"), ConnectionArn, InvocationEndpoint: "http://127.0.0.1:9/hook", HttpMethod: "POST" }));
    const name = uniqueName("t");
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [
          { Id: "good", Arn: ApiDestinationArn },
          { Id: "queue", Arn: "arn:aws:sqs:us-east-1:123456789012:q" },
          { Id: "gone", Arn: `arn:aws:events:us-east-1:${cairn.accountId}:api-destination/none/0000` },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 2);
    assert.deepEqual(put.FailedEntries?.map((f) => [f.TargetId, f.ErrorCode]), [["queue", "ValidationException"], ["gone", "ResourceNotFoundException"]]);
    const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: name }));
    assert.deepEqual(targets.Targets?.map((t) => [t.Id, t.Arn]), [["good", ApiDestinationArn]]);
    assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: ApiDestinationArn }))).RuleNames, [name]);
    await expectEbError(eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: "x", Arn: ApiDestinationArn!, Input: "{}", InputPath: "$.detail" }] })), "ValidationException", /Only one of Input, InputPath, or InputTransformer/);
    await expectEbError(
      eb.send(new PutTargetsCommand({ Rule: name, Targets: [1, 2, 3, 4, 5].map((i) => ({ Id: `n${i}`, Arn: ApiDestinationArn! })) })),
      "LimitExceededException",
    );
    await expectEbError(eb.send(new PutTargetsCommand({ Rule: "missing-rule", Targets: [{ Id: "a", Arn: ApiDestinationArn! }] })), "ResourceNotFoundException");
    await expectEbError(eb.send(new DeleteRuleCommand({ Name: name })), "ValidationException", /^Rule can't be deleted since it has targets\.$/);
    await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ["good"] }));
    await eb.send(new DeleteRuleCommand({ Name: name }));
  });

  it("tags rules", async () => {
    const name = uniqueName("tag");
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN, Tags: [{ Key: "team", Value: "a" }] }));
    await eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: "env", Value: "dev" }] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [{ Key: "team", Value: "a" }, { Key: "env", Value: "dev" }]);
    await eb.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ["team"] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [{ Key: "env", Value: "dev" }]);
    await expectEbError(eb.send(new ListTagsForResourceCommand({ ResourceARN: `${RuleArn}-nope` })), "ResourceNotFoundException");
  });

  it("keeps connection secrets out of every answer, refuses OAuth, and manages API destinations", async () => {
    const name = uniqueName("conn");
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: name,
        AuthorizationType: "API_KEY",
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-key", ApiKeyValue: "TOPSECRET" }, InvocationHttpParameters: { HeaderParameters: [{ Key: "x-h", Value: "HIDDEN", IsValueSecret: true }] } },
      }),
    );
    assert.match(created.ConnectionArn!, new RegExp(`^arn:aws:events:us-east-1:${cairn.accountId}:connection/${name}/[0-9a-f-]{36}$`));
    assert.equal(created.ConnectionState, "AUTHORIZED");
    const described = await eb.send(new DescribeConnectionCommand({ Name: name }));
    assert.equal(described.AuthParameters?.ApiKeyAuthParameters?.ApiKeyName, "x-key");
    assert.doesNotMatch(JSON.stringify(described), /TOPSECRET|HIDDEN/);
    await expectEbError(eb.send(new CreateConnectionCommand({ Name: name, AuthorizationType: "BASIC", AuthParameters: { BasicAuthParameters: { Username: "u", Password: "p" } } })), "ResourceAlreadyExistsException");
    await expectEbError(
      eb.send(new CreateConnectionCommand({ Name: uniqueName("o"), AuthorizationType: "OAUTH_CLIENT_CREDENTIALS", AuthParameters: { OAuthParameters: { AuthorizationEndpoint: "https://a.example/t", HttpMethod: "POST", ClientParameters: { ClientID: "i", ClientSecret: "s" } } } })),
      "ValidationException",
      /OAuth/,
    );
    await eb.send(new UpdateConnectionCommand({ Name: name, Description: "new" }));
    assert.equal((await eb.send(new DescribeConnectionCommand({ Name: name }))).Description, "new");
    assert.ok((await eb.send(new ListConnectionsCommand({ NamePrefix: name }))).Connections?.some((c) => c.Name === name));

    const dest = uniqueName("dest");
    const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: dest, ConnectionArn: created.ConnectionArn, InvocationEndpoint: "http://127.0.0.1:9/a", HttpMethod: "PUT", InvocationRateLimitPerSecond: 10 }));
    assert.match(ApiDestinationArn!, new RegExp(`^arn:aws:events:us-east-1:${cairn.accountId}:api-destination/${dest}/[0-9a-f-]{36}$`));
    await eb.send(new UpdateApiDestinationCommand({ Name: dest, HttpMethod: "POST" }));
    const d = await eb.send(new DescribeApiDestinationCommand({ Name: dest }));
    assert.deepEqual([d.HttpMethod, d.InvocationRateLimitPerSecond, d.ApiDestinationState, d.ConnectionArn], ["POST", 10, "ACTIVE", created.ConnectionArn]);
    assert.ok((await eb.send(new ListApiDestinationsCommand({ NamePrefix: dest }))).ApiDestinations?.some((x) => x.Name === dest));
    await expectEbError(
      eb.send(new CreateApiDestinationCommand({ Name: uniqueName("d"), ConnectionArn: `${created.ConnectionArn}x`, InvocationEndpoint: "http://127.0.0.1:9/a", HttpMethod: "POST" })),
      "ResourceNotFoundException",
    );
    await eb.send(new DeleteApiDestinationCommand({ Name: dest }));
    await expectEbError(eb.send(new DescribeApiDestinationCommand({ Name: dest })), "ResourceNotFoundException");
    assert.equal((await eb.send(new DeauthorizeConnectionCommand({ Name: name }))).ConnectionState, "DEAUTHORIZING");
    assert.equal((await eb.send(new DescribeConnectionCommand({ Name: name }))).ConnectionState, "DEAUTHORIZED");
    await eb.send(new DeleteConnectionCommand({ Name: name }));
    await expectEbError(eb.send(new DescribeConnectionCommand({ Name: name })), "ResourceNotFoundException");
  });

  it("refuses API destinations to addresses the operator did not allow", async () => {
    const { ConnectionArn } = await eb.send(new CreateConnectionCommand({ Name: uniqueName("c"), AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "k", ApiKeyValue: "v" } } }));
    await expectEbError(
      eb.send(new CreateApiDestinationCommand({ Name: uniqueName("d"), ConnectionArn, InvocationEndpoint: "http://169.254.169.254/latest", HttpMethod: "POST" })),
      "ValidationException",
      /link-local/,
    );
  });

  it("answers TestEventPattern, DescribeEventBus and PutEvents' per-entry errors", async () => {
    const event = JSON.stringify({ id: "1", account: "123456789012", source: "my.app", time: "2026-01-01T00:00:00Z", region: "us-east-1", resources: [], "detail-type": "x", detail: { a: 1 } });
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: ["my.app"] }), Event: event }))).Result, true);
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: ["other"] }), Event: event }))).Result, false);
    await expectEbError(eb.send(new TestEventPatternCommand({ EventPattern: "[]", Event: event })), "InvalidEventPatternException");
    await expectEbError(eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: ["x"] }), Event: JSON.stringify({ source: "x" }) })), "ValidationException", /Event/);
    const bus = await eb.send(new DescribeEventBusCommand({}));
    assert.deepEqual([bus.Name, bus.Arn], ["default", `arn:aws:events:us-east-1:${cairn.accountId}:event-bus/default`]);
    await expectEbError(eb.send(new DescribeEventBusCommand({ Name: "custom" })), "ResourceNotFoundException");
    const put = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: "my.app", DetailType: "t", Detail: "{}" },
          { Source: "aws.servicediscovery", DetailType: "t", Detail: "{}" },
          { Source: "my.app", DetailType: "t", Detail: "not json" },
          { Source: "my.app", Detail: "{}" },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 3);
    assert.match(put.Entries![0]!.EventId!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(put.Entries!.slice(1).map((e) => e.ErrorCode), ["NotAuthorizedForSourceException", "MalformedDetail", "InvalidArgument"]);
  });

  it("records its management calls in CloudTrail as events.amazonaws.com, failures included", async () => {
    const name = uniqueName("audited");
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: PATTERN }));
    await expectEbError(eb.send(new DescribeRuleCommand({ Name: `${name}-missing` })), "ResourceNotFoundException");
    const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "events.amazonaws.com" }] });
    const records = events.map(recordOf);
    const put = records.find((r) => r.eventName === "PutRule" && (r.requestParameters as { name?: string; Name?: string } | null) !== null && JSON.stringify(r.requestParameters).includes(name));
    assert.ok(put, "PutRule recorded");
    assert.equal(put.readOnly, false);
    const failed = records.find((r) => r.eventName === "DescribeRule" && r.errorCode === "ResourceNotFoundException");
    assert.ok(failed, "failed DescribeRule recorded");
    assert.equal(failed.readOnly, true);
    // Connection secrets given earlier in this suite never reach the trail.
    assert.ok(records.some((r) => r.eventName === "CreateConnection"));
    assert.doesNotMatch(JSON.stringify(records), /TOPSECRET|HIDDEN/);
  });
});
