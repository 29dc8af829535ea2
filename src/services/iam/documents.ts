import { parsePolicy, policySize, PolicySyntaxError, type PolicyKind } from "../../auth/policy.js";
import { limitExceeded, malformedPolicy } from "./errors.js";

/** Checks a policy document's grammar (MalformedPolicyDocument) and size (LimitExceeded with `quotaMessage`). */
export function checkPolicyDocument(document: string, kind: PolicyKind, maxSize: number, quotaMessage: string): void {
  try {
    parsePolicy(document, kind);
  } catch (error) {
    if (error instanceof PolicySyntaxError) throw malformedPolicy(error.message);
    throw error;
  }
  if (policySize(document) > maxSize) throw limitExceeded(quotaMessage);
}

/** IAM returns every policy document URL-encoded, as AWS does; SDK users decode it. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document);
}
