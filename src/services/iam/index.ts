import { model } from "../../generated/iam.js";
import { awsQueryCodec } from "../../protocol/aws-query.js";
import { commonErrors } from "../../protocol/common-errors.js";
import type { ApiDef } from "../operation.js";
import { accessKeyOperations } from "./access-keys.js";
import { withIamEventResources } from "./event-resources.js";
import type { IamDeps } from "./deps.js";
import { boundaryOperations } from "./boundaries.js";
import { groupOperations } from "./groups.js";
import { inlinePolicyOperationsFor } from "./inline-policies.js";
import { attachmentOperationsFor, CreatePolicy, DeletePolicy, GetPolicy, ListPolicies } from "./managed-policies.js";
import { policyVersionOperations } from "./policy-versions.js";
import * as roles from "./roles.js";
import { CreateUser, deleteUser, GetUser, ListUserTags, ListUsers, updateUser, userTagOperations } from "./users.js";

/** AWS IAM (the subset in the README): global, so its events are in us-east-1 whatever the request's scope. */
export function iamApi(deps: IamDeps): ApiDef {
  return {
    signingName: "iam",
    model,
    eventSource: "iam.amazonaws.com",
    validationError: commonErrors.ValidationError,
    codec: awsQueryCodec("https://iam.amazonaws.com/doc/2010-05-08/"),
    globalRegion: "us-east-1",
    operations: withIamEventResources({
      CreateUser,
      GetUser,
      ListUsers,
      DeleteUser: deleteUser(deps),
      UpdateUser: updateUser(deps),
      ...userTagOperations(deps),
      ListUserTags,
      ...accessKeyOperations(deps),
      ...groupOperations(deps),
      CreateRole: roles.CreateRole,
      GetRole: roles.GetRole,
      ListRoles: roles.ListRoles,
      DeleteRole: roles.deleteRole(deps),
      UpdateRole: roles.UpdateRole,
      UpdateAssumeRolePolicy: roles.UpdateAssumeRolePolicy,
      TagRole: roles.TagRole,
      UntagRole: roles.UntagRole,
      ListRoleTags: roles.ListRoleTags,
      ...inlinePolicyOperationsFor(deps),
      CreatePolicy,
      GetPolicy,
      ...policyVersionOperations(deps),
      ListPolicies,
      DeletePolicy,
      ...attachmentOperationsFor(deps),
      ...boundaryOperations(deps),
    }),
  };
}
