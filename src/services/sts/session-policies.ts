import { commonErrors } from "../../protocol/common-errors.js";
import { errors as stsErrors } from "../../generated/sts.js";
import { parsePolicy, policySize, PolicySyntaxError } from "../../auth/policy.js";
import type { OperationContext } from "../operation.js";

/** AWS's packed limit for session policies and tags (plaintext). */
const PACKED_LIMIT = 2048;

export interface SessionPolicyInput {
  Policy?: string;
  PolicyArns?: { arn?: string }[];
  Tags?: { Key: string; Value: string }[];
}

/**
 * The session policies an AssumeRole / GetFederationToken call passes: the inline `Policy` and the documents of
 * the managed policies in `PolicyArns`, checked as AWS does. Undefined when none were passed (no narrowing).
 */
export async function sessionPolicies(ctx: OperationContext, input: SessionPolicyInput): Promise<string[] | undefined> {
  const documents: string[] = [];
  if (input.Policy !== undefined) {
    try {
      parsePolicy(input.Policy, "identity");
    } catch (error) {
      if (error instanceof PolicySyntaxError) throw stsErrors.MalformedPolicyDocument(error.message);
      throw error;
    }
    documents.push(input.Policy);
  }
  for (const { arn } of input.PolicyArns ?? []) {
    const policy = arn === undefined ? undefined : await ctx.tx.iam.getPolicy(arn);
    if (!policy || policy.accountId !== ctx.accountId) throw commonErrors.InvalidParameterValue(`The policy ${arn ?? ""} does not exist or is not attachable.`);
    documents.push(policy.document);
  }
  return documents.length === 0 ? undefined : documents;
}

/**
 * `PackedPolicySize`: how full the packed session policies and tags are, in percent; undefined when neither was
 * passed. AWS's packing is opaque; this counts the inline policy without whitespace, a fixed share per policy ARN and
 * the tags' keys and values. Over 100 % is PackedPolicyTooLarge.
 */
export function packedPolicySize(input: SessionPolicyInput): number | undefined {
  const tags = input.Tags ?? [];
  if (input.Policy === undefined && !input.PolicyArns?.length && tags.length === 0) return undefined;
  const packed =
    (input.Policy ? policySize(input.Policy) : 0) + (input.PolicyArns?.length ?? 0) * 64 + tags.reduce((n, t) => n + t.Key.length + t.Value.length, 0);
  const percent = Math.ceil((packed / PACKED_LIMIT) * 100);
  if (percent > 100) {
    throw stsErrors.PackedPolicyTooLarge(`Packed size of consumed session policies and tags exceeds 2048 characters by ${percent - 100}%.`);
  }
  return percent;
}
