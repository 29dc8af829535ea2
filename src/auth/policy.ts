/**
 * IAM policy documents: parsing and grammar checks (IAM's policy grammar). Pure: no store, no clock.
 */
import { conditionValueError, isConditionOperator } from "./conditions.js";

export class PolicySyntaxError extends Error {}

/** Who a resource-based statement (a role's trust policy) names. */
export interface PrincipalSpec {
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
}

export interface ConditionClause {
  operator: string;
  key: string;
  values: string[];
}

export interface Statement {
  effect: "Allow" | "Deny";
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: ConditionClause[];
  /** Policy variables (`${aws:username}`) are substituted: the policy's Version is 2012-10-17. */
  variables: boolean;
}

export interface PolicyDocument {
  statements: Statement[];
}

/** identity: user/role/managed/session policies; trust: a role's AssumeRolePolicyDocument. */
export type PolicyKind = "identity" | "trust";

function strings(value: unknown, field: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== "string")) throw new PolicySyntaxError(`Syntax errors in policy. ${field} must be a string or an array of strings.`);
  return list as string[];
}

function principalSpec(value: unknown): PrincipalSpec {
  if (value === "*") return { any: true, aws: [], service: [], federated: [] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new PolicySyntaxError("Invalid principal in policy");
  const spec: PrincipalSpec = { any: false, aws: [], service: [], federated: [] };
  for (const [kind, names] of Object.entries(value as Record<string, unknown>)) {
    if (kind === "AWS") spec.aws = strings(names, "Principal");
    else if (kind === "Service") spec.service = strings(names, "Principal");
    else if (kind === "Federated") spec.federated = strings(names, "Principal");
    else throw new PolicySyntaxError("Invalid principal in policy");
  }
  if (spec.aws.includes("*")) spec.any = true;
  return spec;
}

/** How parsePolicy treats condition values the evaluator cannot read. */
export interface ParseOptions {
  /**
   * false for documents already stored: they were checked when written, and a value that fails today's checks is
   * kept so that its statement fails closed at evaluation (an Allow stops applying, a Deny keeps applying).
   */
  checkValues?: boolean;
}

function conditions(value: unknown, variables: boolean, checkValues: boolean): ConditionClause[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new PolicySyntaxError("Syntax errors in policy. Condition must be an object.");
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value as Record<string, unknown>)) {
    if (!isConditionOperator(operator)) throw new PolicySyntaxError(`Invalid Condition type : ${operator}.`);
    if (block === null || typeof block !== "object" || Array.isArray(block)) throw new PolicySyntaxError("Syntax errors in policy. Condition must be an object.");
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.some((v) => typeof v !== "string" && typeof v !== "boolean" && typeof v !== "number")) {
        throw new PolicySyntaxError("Syntax errors in policy. Condition values must be strings, numbers or booleans.");
      }
      const values = list.map(String);
      for (const v of checkValues ? values : []) {
        // A policy variable's value is known only at evaluation.
        const error = variables && v.includes("${") ? undefined : conditionValueError(operator, v);
        if (error) throw new PolicySyntaxError(`Syntax errors in policy. ${error}`);
      }
      clauses.push({ operator, key, values });
    }
  }
  return clauses;
}

const STATEMENT_FIELDS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);

function statement(raw: unknown, kind: PolicyKind, variables: boolean, checkValues: boolean): Statement {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new PolicySyntaxError("Syntax errors in policy.");
  const s = raw as Record<string, unknown>;
  for (const field of Object.keys(s)) if (!STATEMENT_FIELDS.has(field)) throw new PolicySyntaxError(`Syntax errors in policy. Unknown field ${field}.`);
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new PolicySyntaxError("Syntax errors in policy. Effect must be Allow or Deny.");
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new PolicySyntaxError("Policy statement must contain actions.");
  const out: Statement = { effect: s.Effect, conditions: conditions(s.Condition, variables, checkValues), variables };
  if (s.Action !== undefined) out.action = strings(s.Action, "Action");
  if (s.NotAction !== undefined) out.notAction = strings(s.NotAction, "NotAction");
  if (kind === "identity") {
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw new PolicySyntaxError("Policy document should not specify a principal.");
    if ((s.Resource === undefined) === (s.NotResource === undefined)) throw new PolicySyntaxError("Policy statement must contain resources.");
    if (s.Resource !== undefined) out.resource = strings(s.Resource, "Resource");
    if (s.NotResource !== undefined) out.notResource = strings(s.NotResource, "NotResource");
  } else {
    if (s.Resource !== undefined || s.NotResource !== undefined) throw new PolicySyntaxError("Has prohibited field Resource");
    if ((s.Principal === undefined) === (s.NotPrincipal === undefined)) throw new PolicySyntaxError("Missing required field Principal");
    if (s.Principal !== undefined) out.principal = principalSpec(s.Principal);
    if (s.NotPrincipal !== undefined) out.notPrincipal = principalSpec(s.NotPrincipal);
    for (const action of out.action ?? out.notAction ?? []) {
      if (!/^sts:(AssumeRole\*?|AssumeRoleWith\w+|TagSession|SetSourceIdentity|SetContext|\*)$/i.test(action) && action !== "*") {
        throw new PolicySyntaxError("AssumeRole policy may only specify STS AssumeRole actions.");
      }
    }
  }
  return out;
}

/** Parses and checks a policy document; throws {@link PolicySyntaxError} with AWS's kind of message. */
export function parsePolicy(text: string, kind: PolicyKind, { checkValues = true }: ParseOptions = {}): PolicyDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PolicySyntaxError("This policy contains invalid Json");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new PolicySyntaxError("Syntax errors in policy.");
  const doc = json as Record<string, unknown>;
  if (doc.Version !== undefined && doc.Version !== "2012-10-17" && doc.Version !== "2008-10-17") {
    throw new PolicySyntaxError("The policy failed legacy parsing");
  }
  for (const field of Object.keys(doc)) {
    if (field !== "Version" && field !== "Id" && field !== "Statement") throw new PolicySyntaxError(`Syntax errors in policy. Unknown field ${field}.`);
  }
  if (doc.Statement === undefined) throw new PolicySyntaxError("Syntax errors in policy. Missing required field Statement.");
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (raw.length === 0) throw new PolicySyntaxError("Syntax errors in policy. Statement must not be empty.");
  const variables = doc.Version === "2012-10-17";
  return { statements: raw.map((s) => statement(s, kind, variables, checkValues)) };
}

/** IAM's size rule: whitespace does not count. */
export function policySize(text: string): number {
  return text.replace(/\s/g, "").length;
}
