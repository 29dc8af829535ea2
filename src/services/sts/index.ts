import { model } from "../../generated/sts.js";
import type { SecretBox } from "../../auth/secret-box.js";
import { awsQueryCodec } from "../../protocol/aws-query.js";
import { commonErrors } from "../../protocol/common-errors.js";
import type { ApiModel, ShapeModel } from "../../protocol/model-types.js";
import type { ApiDef } from "../operation.js";
import { assumeRole } from "./assume-role.js";
import { GetCallerIdentity, getFederationToken, getSessionToken } from "./session-tokens.js";

export interface StsOptions {
  box: SecretBox;
  /**
   * Shortest session a caller may ask for (AWS: 900 seconds). Lowering it (`CAIRN_LIMIT_STS_MIN_DURATION_SECONDS`)
   * lets tests and demos watch credentials expire without waiting a quarter of an hour.
   */
  minDurationSeconds: number;
}

/** STS's model with the DurationSeconds minimums set to the deployment's limit. */
function withMinimumDuration(min: number): ApiModel {
  const shapes: Record<string, ShapeModel> = { ...model.shapes };
  for (const name of ["roleDurationSecondsType", "durationSecondsType"]) {
    const shape = shapes[name];
    if (shape && shape.type === "integer") shapes[name] = { ...shape, min };
  }
  return { ...model, shapes };
}

/** AWS STS: AssumeRole, GetSessionToken, GetFederationToken, GetCallerIdentity. */
export function stsApi(options: StsOptions): ApiDef {
  return {
    signingName: "sts",
    model: withMinimumDuration(options.minDurationSeconds),
    eventSource: "sts.amazonaws.com",
    validationError: commonErrors.ValidationError,
    codec: awsQueryCodec("https://sts.amazonaws.com/doc/2011-06-15/"),
    operations: {
      AssumeRole: assumeRole(options.box),
      GetSessionToken: getSessionToken(options.box),
      GetFederationToken: getFederationToken(options.box),
      GetCallerIdentity,
    },
  };
}
