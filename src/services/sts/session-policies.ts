import { parsePolicy, policySize, PolicySyntaxError } from "../../auth/policy.js";
import { ServiceError } from "../../protocol/errors.js";
import type { OperationContext } from "../operation.js";

/** AWS's packed limit for session policies (plaintext). */
const PACKED_LIMIT = 2048;

export interface SessionPolicyInput {
  Policy?: string;
  PolicyArns?: { arn?: string }[];
}

/**
 * The session policies an AssumeRole / GetFederationToken call passes: the inline `Policy` and the documents of
 * the managed policies in `PolicyArns`, checked as AWS does. Returns undefined when none were passed.
 */
export async function sessionPolicies(ctx: OperationContext, input: SessionPolicyInput): Promise<{ documents: string[]; packedSize: number } | undefined> {
  const documents: string[] = [];
  if (input.Policy !== undefined) {
    try {
      parsePolicy(input.Policy, "identity");
    } catch (error) {
      if (error instanceof PolicySyntaxError) throw new ServiceError("MalformedPolicyDocument", error.message);
      throw error;
    }
    documents.push(input.Policy);
  }
  for (const { arn } of input.PolicyArns ?? []) {
    const policy = arn === undefined ? undefined : await ctx.tx.iam.getPolicy(arn);
    if (!policy || policy.accountId !== ctx.accountId) throw new ServiceError("InvalidParameterValue", `The policy ${arn ?? ""} does not exist or is not attachable.`);
    documents.push(policy.document);
  }
  if (documents.length === 0) return undefined;
  // AWS's packing is opaque; this counts the inline policy without whitespace plus a fixed share per policy ARN.
  const packed = (input.Policy ? policySize(input.Policy) : 0) + (input.PolicyArns?.length ?? 0) * 64;
  const packedSize = Math.ceil((packed / PACKED_LIMIT) * 100);
  if (packedSize > 100) {
    throw new ServiceError("PackedPolicyTooLarge", `Packed size of consumed session policies exceeds 2048 characters by ${packedSize - 100}%.`);
  }
  return { documents, packedSize };
}
