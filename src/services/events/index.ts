import { model } from "../../generated/events.js";
import { withAuthorization, type ApiDef } from "../operation.js";
import { createApiDestination, deleteApiDestination, describeApiDestination, listApiDestinations, updateApiDestination } from "./api-destinations.js";
import { eventsAuthorization } from "./authorization.js";
import { createConnection, deauthorizeConnection, deleteConnection, describeConnection, listConnections, updateConnection } from "./connections.js";
import type { EventsDeps } from "./deps.js";
import { validation } from "./errors.js";
import { describeEventBus } from "./event-bus.js";
import { putEvents } from "./put-events.js";
import { deleteRule, describeRule, disableRule, enableRule, listRuleNamesByTarget, listRules, putRule, testEventPatternOp } from "./rules.js";
import { listTagsForResource, tagResource, untagResource } from "./tags.js";
import { listTargetsByRule, putTargets, removeTargets } from "./targets.js";

/** Amazon EventBridge on the default bus: rules, API destination targets, connections, PutEvents. */
export function eventsApi(deps: EventsDeps): ApiDef {
  return {
    signingName: "events",
    model,
    eventSource: "events.amazonaws.com",
    validationError: validation,
    operations: withAuthorization(
      {
        PutRule: putRule(deps),
        DescribeRule: describeRule,
        ListRules: listRules,
        DeleteRule: deleteRule(deps),
        EnableRule: enableRule(deps),
        DisableRule: disableRule(deps),
        ListRuleNamesByTarget: listRuleNamesByTarget,
        TestEventPattern: testEventPatternOp,
        TagResource: tagResource,
        UntagResource: untagResource,
        ListTagsForResource: listTagsForResource,
        PutTargets: putTargets(deps),
        RemoveTargets: removeTargets(deps),
        ListTargetsByRule: listTargetsByRule,
        CreateConnection: createConnection(deps),
        DescribeConnection: describeConnection,
        UpdateConnection: updateConnection(deps),
        ListConnections: listConnections,
        DeleteConnection: deleteConnection,
        DeauthorizeConnection: deauthorizeConnection(deps),
        CreateApiDestination: createApiDestination,
        DescribeApiDestination: describeApiDestination,
        UpdateApiDestination: updateApiDestination,
        ListApiDestinations: listApiDestinations,
        DeleteApiDestination: deleteApiDestination,
        PutEvents: putEvents(deps),
        DescribeEventBus: describeEventBus,
      },
      eventsAuthorization,
    ),
  };
}
