import { AWS_PARTITION_REGIONS, OTHER_PARTITIONS } from "../generated/regions.js";

/**
 * What `--regions` takes: lower-case letters, digits and hyphens, a letter first and a digit last. A region name
 * goes into ARNs, log lines and trail file paths, so nothing else is let in.
 */
const REGION_NAME = /^[a-z][a-z0-9-]{0,30}[0-9]$/;

/**
 * The names of `--regions` (comma-separated). A name of a partition Cairn does not serve (`cn-north-1`,
 * `us-gov-west-1`, …) is refused: Cairn's ARNs are `arn:aws:`, and that partition's would not be.
 */
export function parseExtraRegions(list: string): string[] {
  const names = list.split(",").map((name) => name.trim()).filter((name) => name !== "");
  for (const name of names) {
    if (!REGION_NAME.test(name)) {
      throw new Error(`--regions: '${name}' is not a region name (lower-case letters, digits and hyphens, ending in a digit)`);
    }
    const other = OTHER_PARTITIONS.find((partition) => partition.pattern.test(name));
    if (other) throw new Error(`--regions: ${name} belongs to the ${other.id} partition, which Cairn does not serve (its ARNs are arn:aws:)`);
  }
  return [...new Set(names)];
}

/** The regions Cairn serves, sorted: the `aws` partition's (from the AWS SDK's data) and the operator's `--regions`. */
export function servedRegions(extra: readonly string[]): string[] {
  return [...new Set([...AWS_PARTITION_REGIONS, ...extra])].sort();
}
