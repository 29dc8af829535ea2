import { model } from "../../generated/cloudtrail.js";
import type { ApiDef } from "../operation.js";
import { lookupEvents } from "./lookup-events.js";

export interface CloudTrailOptions {
  /** How many days Event history keeps (AWS: 90). LookupEvents never reaches further back. */
  eventRetentionDays: number;
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
    // CloudTrail's generic "a parameter is not valid" error; operations map their own members to specific codes.
    validationErrorCode: "InvalidParameterException",
    operations: {
      LookupEvents: lookupEvents(options),
    },
  };
}
