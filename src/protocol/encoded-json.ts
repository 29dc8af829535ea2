/**
 * A handler result that is already the awsJson body of the operation's output shape. Hot paths that
 * answer the same material many times a second (DiscoverInstances) cache encoded fragments and return
 * this; the codec writes the bytes as they are. Never for recorded operations: CloudTrail renders the
 * output from its typed value.
 */
export class EncodedJson {
  constructor(readonly body: Buffer) {}
}
