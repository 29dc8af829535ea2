import type { OperationContext } from "../operation.js";
import { entityByArn } from "./arns.js";
import { malformedPolicy } from "./errors.js";

/**
 * The IAM users and roles a trust policy names. AWS checks that each exists when the policy is stored, and when one
 * is deleted it rewrites the policy to name the deleted entity's unique id, so that a re-created namesake is not
 * trusted; a renamed user is followed to its new ARN.
 */

type Json = Record<string, unknown>;

/** Each `"AWS"` principal value of the document's Principal and NotPrincipal elements, to read or to replace. */
function awsPrincipals(doc: Json, visit: (value: string) => string): void {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const s of statements as Json[]) {
    for (const field of ["Principal", "NotPrincipal"]) {
      const spec = s[field];
      if (spec === null || typeof spec !== "object") continue;
      const aws = (spec as Json).AWS;
      if (typeof aws === "string") (spec as Json).AWS = visit(aws);
      else if (Array.isArray(aws)) (spec as Json).AWS = aws.map((v) => (typeof v === "string" ? visit(v) : v));
    }
  }
}

const ENTITY_ARN = /^arn:aws:iam::[^:]*:(user|role)\//;
/** A unique id stands only where Cairn rewrote a deleted principal; given in a new document, it names no one. */
const UNIQUE_ID = /^A[A-Z]{3}[A-Z0-9]{10,}$/;

/** Throws MalformedPolicyDocument unless every user and role the (grammatically checked) document names exists exactly. */
export async function checkTrustPrincipals(ctx: OperationContext, document: string): Promise<void> {
  const named: string[] = [];
  awsPrincipals(JSON.parse(document) as Json, (value) => {
    named.push(value);
    return value;
  });
  for (const value of named) {
    const invalid = UNIQUE_ID.test(value) || (ENTITY_ARN.test(value) && !(await entityByArn(ctx.tx.iam, value)));
    if (invalid) throw malformedPolicy(`Invalid principal in policy: "AWS":"${value}"`);
  }
}

/** The document with every `"AWS"` principal equal to `from` replaced by `to`; undefined when it names no `from`. */
export function rewriteTrustPrincipal(document: string, from: string, to: string): string | undefined {
  const doc = JSON.parse(document) as Json;
  let changed = false;
  awsPrincipals(doc, (value) => {
    if (value !== from) return value;
    changed = true;
    return to;
  });
  return changed ? JSON.stringify(doc) : undefined;
}

/** Rewrites the account's trust policies that name `from` (a user's or role's ARN) to name `to` instead. */
export async function retargetTrustPolicies(ctx: OperationContext, from: string, to: string): Promise<void> {
  for (const role of await ctx.tx.iam.listRoles(ctx.accountId, "/", Number.MAX_SAFE_INTEGER)) {
    const rewritten = rewriteTrustPrincipal(role.trustPolicy, from, to);
    if (rewritten !== undefined) await ctx.tx.iam.updateTrustPolicy(ctx.accountId, role.roleName, rewritten);
  }
}
