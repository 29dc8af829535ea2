import { model } from "../../generated/events.js";
import { defineApi } from "../define-api.js";
import { CreateApiDestination, DeleteApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination } from "./api-destinations.js";
import { CreateConnection, DeauthorizeConnection, DeleteConnection, DescribeConnection, ListConnections, UpdateConnection } from "./connections.js";
import { validation } from "./errors.js";
import { DescribeEventBus } from "./event-bus.js";
import { PutEvents } from "./put-events.js";
import { DeleteRule, DescribeRule, DisableRule, EnableRule, ListRuleNamesByTarget, ListRules, PutRule, TestEventPattern } from "./rules.js";
import { ListTagsForResource, TagResource, UntagResource } from "./tags.js";
import { ListTargetsByRule, PutTargets, RemoveTargets } from "./targets.js";

/** Amazon EventBridge on each account's default bus: rules, API destination targets, connections, PutEvents. */
export const eventsApi = defineApi({
  signingName: "events",
  model,
  eventSource: "events.amazonaws.com",
  validationError: validation,
  operations: {
    PutRule,
    DescribeRule,
    ListRules,
    DeleteRule,
    EnableRule,
    DisableRule,
    ListRuleNamesByTarget,
    TestEventPattern,
    TagResource,
    UntagResource,
    ListTagsForResource,
    PutTargets,
    RemoveTargets,
    ListTargetsByRule,
    CreateConnection,
    DescribeConnection,
    UpdateConnection,
    ListConnections,
    DeleteConnection,
    DeauthorizeConnection,
    CreateApiDestination,
    DescribeApiDestination,
    UpdateApiDestination,
    ListApiDestinations,
    DeleteApiDestination,
    PutEvents,
    DescribeEventBus,
  },
  // Other buses, archives and replays, endpoints, partner event sources, permissions: not served.
  unsupported: [
    "ActivateEventSource", "CancelReplay", "CreateArchive", "CreateEndpoint", "CreateEventBus",
    "CreatePartnerEventSource", "DeactivateEventSource", "DeleteArchive", "DeleteEndpoint", "DeleteEventBus",
    "DeletePartnerEventSource", "DescribeArchive", "DescribeEndpoint", "DescribeEventSource",
    "DescribePartnerEventSource", "DescribeReplay", "ListArchives", "ListEndpoints", "ListEventBuses",
    "ListEventSources", "ListPartnerEventSourceAccounts", "ListPartnerEventSources", "ListReplays",
    "PutPartnerEvents", "PutPermission", "RemovePermission", "StartReplay", "UpdateArchive", "UpdateEndpoint",
    "UpdateEventBus",
  ],
});
