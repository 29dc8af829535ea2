/** Managed policy versions: a policy changes by adding a version and making it the default. */
import type * as iam from "../../generated/iam.js";
import { operation, type OperationContext } from "../operation.js";
import type { ManagedPolicyRecord } from "../../store/iam-records.js";
import { checkPolicyDocument, encodeDocument } from "./documents.js";
import { deleteConflict, limitExceeded, noSuchEntity } from "./errors.js";
import { MANAGED_POLICY_MAX, policyFacts, requirePolicy } from "./managed-policies.js";

/** AWS keeps at most five versions of a managed policy. */
const MAX_VERSIONS = 5;

async function requireVersion(ctx: OperationContext, arn: string, versionId: string) {
  const version = (await ctx.tx.iam.listPolicyVersions(arn)).find((v) => v.versionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

/** A call about one existing managed policy, authorised against its ARN; `handle` gets the policy. */
function onPolicy<I extends { PolicyArn: string }, O>(handle: (input: I, ctx: OperationContext, policy: ManagedPolicyRecord) => Promise<O>) {
  return operation<I, O>({
    authorize: (input) => policyFacts(input.PolicyArn),
    handle: async (input, ctx) => handle(input, ctx, await requirePolicy(ctx, input.PolicyArn)),
  });
}

export const CreatePolicyVersion = onPolicy<iam.CreatePolicyVersionRequest, iam.CreatePolicyVersionResponse>(async (input, ctx, policy) => {
  checkPolicyDocument(input.PolicyDocument, "identity", MANAGED_POLICY_MAX, `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_MAX}`);
  if ((await ctx.tx.iam.listPolicyVersions(policy.arn)).length >= MAX_VERSIONS) {
    throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
  }
  const makeDefault = input.SetAsDefault === true;
  const versionId = await ctx.tx.iam.addPolicyVersion(policy.arn, input.PolicyDocument, makeDefault, ctx.now);
  return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: makeDefault, CreateDate: ctx.now } };
});

export const GetPolicyVersion = onPolicy<iam.GetPolicyVersionRequest, iam.GetPolicyVersionResponse>(async (input, ctx, policy) => {
  const version = await requireVersion(ctx, policy.arn, input.VersionId);
  return {
    PolicyVersion: {
      Document: encodeDocument(version.document),
      VersionId: version.versionId,
      IsDefaultVersion: version.versionId === policy.defaultVersionId,
      CreateDate: version.createDate,
    },
  };
});

export const ListPolicyVersions = onPolicy<iam.ListPolicyVersionsRequest, iam.ListPolicyVersionsResponse>(async (_input, ctx, policy) => {
  const versions = await ctx.tx.iam.listPolicyVersions(policy.arn);
  // Newest first, as IAM lists them.
  return {
    Versions: versions.reverse().map((v) => ({ VersionId: v.versionId, IsDefaultVersion: v.versionId === policy.defaultVersionId, CreateDate: v.createDate })),
    IsTruncated: false,
  };
});

export const SetDefaultPolicyVersion = onPolicy<iam.SetDefaultPolicyVersionRequest, void>(async (input, ctx, policy) => {
  await requireVersion(ctx, policy.arn, input.VersionId);
  await ctx.tx.iam.setDefaultPolicyVersion(policy.arn, input.VersionId, ctx.now);
});

export const DeletePolicyVersion = onPolicy<iam.DeletePolicyVersionRequest, void>(async (input, ctx, policy) => {
  await requireVersion(ctx, policy.arn, input.VersionId);
  if (input.VersionId === policy.defaultVersionId) throw deleteConflict("Cannot delete the default version of a policy.");
  await ctx.tx.iam.deletePolicyVersion(policy.arn, input.VersionId);
});
