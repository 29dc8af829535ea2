/**
 * Which values one answer carries (Route 53's routing policies):
 *
 * - MULTIVALUE: up to 8 healthy values, a random subset and order when there are more; when none is healthy,
 *   up to 8 of all values (Route 53 then answers as if all were healthy).
 * - WEIGHTED (all weights equal): one value chosen at random among the healthy ones, or among all when none
 *   is healthy.
 */
import type { RoutingPolicy } from "../store/records.js";
import { shuffleFirst } from "../services/servicediscovery/discovery-select.js";
import type { RecordData, RecordValues } from "./records.js";

export const MULTIVALUE_MAX = 8;

const poolOf = (values: RecordValues): readonly RecordData[] => (values.healthy.length > 0 ? values.healthy : values.all);

/** Whether two selections from these values may differ (in members or order). */
export const selectionVaries = (values: RecordValues): boolean => poolOf(values).length > 1;

export function selectValues(values: RecordValues, policy: RoutingPolicy, random: () => number = Math.random): RecordData[] {
  const pool = poolOf(values);
  if (policy === "WEIGHTED") return pool.length === 0 ? [] : [pool[Math.floor(random() * pool.length)]!];
  return shuffleFirst(pool.slice(), MULTIVALUE_MAX, random);
}
