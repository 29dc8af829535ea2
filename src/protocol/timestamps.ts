/** `YYYY-MM-DDTHH:MM:SSZ`: ISO-8601 to the second, as CloudTrail records, awsQuery answers and trail files write times. */
export function isoSeconds(time: Date | number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}
