/**
 * A compiled event pattern: a tree that follows the event's shape. Field names are cut at dots, because event-ruler
 * joins a field's path with dots: `{"a.b": […]}` and `{"a": {"b": […]}}` name the same field (and so do the event's
 * `{"a.b": 1}` and `{"a": {"b": 1}}`). `$or` stays a node of its own rather than being multiplied out into
 * alternatives, so nested `$or`s cost their size, not the product of their sizes.
 */

/** A value at the end of a path in the event: what patterns compare. */
export type Leaf = string | number | boolean | null;

/** The conditions of one field's value list; a field matches if any of them does. */
export interface LeafPattern {
  /** Values matched as they are (strings, numbers, true, false, null): a string never equals a number. */
  exact: Set<Leaf>;
  /** prefix, suffix, anything-but, numeric, cidr, wildcard, equals-ignore-case … */
  tests: Array<(leaf: Leaf) => boolean>;
  /** `{"exists": true}`: the field has at least one leaf value. */
  present: boolean;
  /** `{"exists": false}`: the field has no leaf value (missing, an object, an empty array). */
  absent: boolean;
}

export interface FieldPattern {
  /** The field's name in its object (one segment of a dotted name). */
  name: string;
  leaf?: LeafPattern;
  /** Conditions on the fields below this one. */
  object?: ObjectPattern;
}

export interface ObjectPattern {
  fields: Map<string, FieldPattern>;
  /** Each `$or` met at this level: one of its branches must match the same object. */
  ors: ObjectPattern[][];
}

/** A parsed and validated event pattern (from `parseEventPattern`), for `matchesPattern`. */
export interface EventPattern {
  readonly root: ObjectPattern;
}

export const emptyObjectPattern = (): ObjectPattern => ({ fields: new Map(), ors: [] });

/** The field pattern at a (possibly dotted) name, created on the way. */
function fieldAt(target: ObjectPattern, name: string): FieldPattern {
  const segments = name.split(".");
  let object = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const field = fieldFor(object, segments[i]!);
    object = field.object ??= emptyObjectPattern();
  }
  return fieldFor(object, segments[segments.length - 1]!);
}

function fieldFor(object: ObjectPattern, segment: string): FieldPattern {
  let field = object.fields.get(segment);
  if (!field) object.fields.set(segment, (field = { name: segment }));
  return field;
}

/** The object pattern below `name`, shared when the name comes again (both sets of fields then apply). */
export const objectAt = (target: ObjectPattern, name: string): ObjectPattern => (fieldAt(target, name).object ??= emptyObjectPattern());

/** Sets a field's value list; a later list for the same path replaces an earlier one, as on AWS. */
export function setLeaf(target: ObjectPattern, name: string, leaf: LeafPattern): void {
  fieldAt(target, name).leaf = leaf;
}
