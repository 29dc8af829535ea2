import type { ApiDef, ApiSpec, OperationDef, ServedOperation } from "./operation.js";

/** Verbs whose operations only read (CloudTrail `readOnly: true`). */
const READ_VERBS = ["Get", "List", "Describe", "Lookup"];
/** Verbs whose operations change something (`readOnly: false`). */
const WRITE_VERBS = [
  "Add", "Attach", "Cancel", "Change", "Create", "Delete", "Deregister", "Detach", "Disable", "Enable", "Put", "Register",
  "Remove", "Reset", "Restore", "Set", "Start", "Stop", "Tag", "Untag", "Update", "Upload",
];

/** The operation name's leading verb: `CreateHttpNamespace` → `Create`. */
function verbOf(name: string): string {
  return /^[A-Z][a-z]*/.exec(name)?.[0] ?? "";
}

/** What an operation's verb says about CloudTrail `readOnly`; undefined when it says nothing (AssumeRole, DiscoverInstances). */
export function readOnlyOfVerb(name: string): boolean | undefined {
  const verb = verbOf(name);
  if (READ_VERBS.includes(verb)) return true;
  if (WRITE_VERBS.includes(verb)) return false;
  return undefined;
}

function served(api: string, name: string, row: OperationDef, spec: ApiSpec): ServedOperation {
  const byVerb = readOnlyOfVerb(name);
  if (row.readOnly !== undefined && byVerb !== undefined) {
    throw new Error(`${api}:${name}: its verb already says readOnly ${byVerb}; leave readOnly out`);
  }
  const readOnly = row.readOnly ?? byVerb;
  if (readOnly === undefined) throw new Error(`${api}:${name}: its verb does not say whether it only reads; state readOnly`);
  const recorded = row.recorded ?? true;
  if (row.usesStore === false && recorded) throw new Error(`${api}:${name}: a recorded operation uses the store`);
  const resources = row.resources ?? spec.eventResources;
  return { ...row, readOnly, recorded, ...(resources ? { resources } : {}) };
}

/** Every operation of the model is served or declared unsupported, and nothing else is either. */
function checkCoverage(spec: ApiSpec): void {
  const modelled = new Set(Object.keys(spec.model.operations));
  const unsupported = new Set(spec.unsupported);
  const problems: string[] = [];
  for (const name of Object.keys(spec.operations)) {
    if (!modelled.has(name)) problems.push(`${name} is served but not in the model`);
    if (unsupported.has(name)) problems.push(`${name} is both served and unsupported`);
  }
  for (const name of unsupported) if (!modelled.has(name)) problems.push(`${name} is unsupported but not in the model`);
  for (const name of modelled) {
    if (!Object.hasOwn(spec.operations, name) && !unsupported.has(name)) problems.push(`${name} is neither served nor declared unsupported`);
  }
  if (unsupported.size !== spec.unsupported.length) problems.push("an unsupported operation is listed twice");
  if (problems.length > 0) throw new Error(`API ${spec.signingName}: ${problems.join("; ")}`);
}

/**
 * Declares an API Cairn serves; every API (Cloud Map, CloudTrail, IAM, STS, …) is one `defineApi({...})` value in
 * `src/services/<api>/index.ts`, listed in `src/server/apis.ts`.
 *
 * `operations` holds one row per served operation, keyed by the model's operation name (see `OperationDef`):
 * - `handle(input, ctx)`: the handler; everything it needs comes through `ctx` (`ctx.tx`, `ctx.deps`, …), never a
 *   closure, so the table is a static value.
 * - `authorize` (required): the call's resources and condition keys, or `noResourceType` when the action has none
 *   (resource `*`), or `neverDenied`. A row without it does not compile.
 * - `readOnly`: left out when the verb says it (Get/List/Describe/Lookup read; Create/Delete/Put/Update/Register…
 *   write); stated only when it does not (AssumeRole). `recorded` defaults to true.
 *
 * `unsupported` names every other operation of the model. A row outside the model, a model operation in neither
 * list, a `readOnly` stated where the verb already says it, or one missing where the verb does not, throws here,
 * at import: the server does not start and every test that loads the API fails.
 *
 * ```ts
 * // src/services/things/things.ts
 * export const GetThing = operation<x.GetThingRequest, x.GetThingResponse>({
 *   authorize: (input, ctx) => ({ resources: [thingArn(ctx, input.Name)] }),
 *   async handle(input, ctx) { … ctx.tx … },
 * });
 * // src/services/things/index.ts
 * export const thingsApi = defineApi({
 *   signingName: "things", model, eventSource: "things.amazonaws.com", validationError: errors.ValidationException,
 *   operations: { GetThing, ListThings },
 *   unsupported: ["DeleteThing"],
 * });
 * ```
 */
export function defineApi(spec: ApiSpec): ApiDef {
  checkCoverage(spec);
  const { operations, unsupported, eventResources: _eventResources, ...api } = spec;
  const rows: Record<string, ServedOperation> = {};
  for (const [name, row] of Object.entries(operations)) rows[name] = served(spec.signingName, name, row, spec);
  return { ...api, operations: rows, unsupported: new Set(unsupported) };
}
