/**
 * What the pipeline learnt about one request, for its log line and metrics: filled in as the request goes
 * through routing and authentication (a call that fails routing has no API, one that fails SigV4 no principal).
 */
export interface RequestFacts {
  /** The API's signing name, e.g. `servicediscovery`. */
  api?: string;
  operation?: string;
  principalArn?: string;
  region?: string;
}
