import { model } from "../../generated/sts.js";
import { awsQueryCodec } from "../../protocol/aws-query.js";
import { commonErrors } from "../../protocol/common-errors.js";
import type { ApiModel, ShapeModel } from "../../protocol/model-types.js";
import { defineApi } from "../define-api.js";
import type { ApiDef } from "../operation.js";
import { AssumeRole } from "./assume-role.js";
import { GetCallerIdentity, GetFederationToken, GetSessionToken } from "./session-tokens.js";

/** AWS STS: AssumeRole, GetSessionToken, GetFederationToken, GetCallerIdentity. */
export const stsApi = defineApi({
  signingName: "sts",
  model,
  eventSource: "sts.amazonaws.com",
  validationError: commonErrors.ValidationError,
  codec: awsQueryCodec("https://sts.amazonaws.com/doc/2011-06-15/"),
  operations: {
    AssumeRole,
    GetSessionToken,
    GetFederationToken,
    GetCallerIdentity,
  },
  // Federation (SAML, web identity), root tasks, token inspection.
  unsupported: [
    "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "DecodeAuthorizationMessage", "GetAccessKeyInfo",
    "GetDelegatedAccessToken", "GetWebIdentityToken",
  ],
});

/**
 * STS with the deployment's shortest session (AWS: 900 seconds) as the DurationSeconds minimum of its model.
 * Lowering it (`CAIRN_LIMIT_STS_MIN_DURATION_SECONDS`) lets tests and demos watch credentials expire without waiting
 * a quarter of an hour. Only the model's constraint changes: the operation table is the same static one.
 */
export function withMinimumDuration(api: ApiDef, min: number): ApiDef {
  const shapes: Record<string, ShapeModel> = { ...api.model.shapes };
  for (const name of ["roleDurationSecondsType", "durationSecondsType"]) {
    const shape = shapes[name];
    if (shape && shape.type === "integer") shapes[name] = { ...shape, min };
  }
  const adjusted: ApiModel = { ...api.model, shapes };
  return { ...api, model: adjusted };
}
