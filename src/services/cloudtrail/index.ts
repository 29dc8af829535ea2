import type { BucketSink } from "../../delivery/sink.js";
import { errors, model } from "../../generated/cloudtrail.js";
import { withAuthorization, type ApiDef } from "../operation.js";
import { cloudTrailAuthorization } from "./authorization.js";
import { getEventSelectors, putEventSelectors } from "./event-selectors.js";
import { getInsightSelectors, putInsightSelectors } from "./insight-selectors.js";
import { lookupEvents } from "./lookup-events.js";
import { listPublicKeys } from "./public-keys.js";
import { getTrailStatus, startLogging, stopLogging } from "./trail-logging.js";
import { addTags, listTags, removeTags } from "./trail-tags.js";
import { createTrail, deleteTrail, describeTrails, getTrail, listTrails, updateTrail } from "./trails.js";

export interface CloudTrailOptions {
  /** How many days Event history keeps (AWS: 90). LookupEvents never reaches further back. */
  eventRetentionDays: number;
  /** Where trails deliver: CreateTrail/UpdateTrail check their bucket there. */
  sink: BucketSink;
}

/**
 * AWS CloudTrail: the operation table the pipeline dispatches on. Operations not in the table answer
 * UnknownOperationException from the router.
 */
export function cloudtrailApi(options: CloudTrailOptions): ApiDef {
  return {
    signingName: "cloudtrail",
    model,
    eventSource: "cloudtrail.amazonaws.com",
    // CloudTrail's generic "a parameter is not valid" error; operations map their own members to specific errors.
    validationError: errors.InvalidParameterException,
    operations: withAuthorization(
      {
        LookupEvents: lookupEvents(options),
        CreateTrail: createTrail(options.sink),
        UpdateTrail: updateTrail(options.sink),
        DeleteTrail: deleteTrail,
        GetTrail: getTrail,
        DescribeTrails: describeTrails,
        ListTrails: listTrails,
        StartLogging: startLogging,
        StopLogging: stopLogging,
        GetTrailStatus: getTrailStatus,
        PutEventSelectors: putEventSelectors,
        GetEventSelectors: getEventSelectors,
        PutInsightSelectors: putInsightSelectors,
        GetInsightSelectors: getInsightSelectors,
        AddTags: addTags,
        RemoveTags: removeTags,
        ListTags: listTags,
        ListPublicKeys: listPublicKeys,
      },
      cloudTrailAuthorization,
    ),
  };
}
