/**
 * A handler result that is already the awsJson body of the operation's output shape. Hot paths that
 * answer the same material many times a second (DiscoverInstances) cache encoded fragments and return
 * this; the codec writes the bytes as they are. Never for recorded operations: CloudTrail renders the
 * output from its typed value.
 *
 * The body may come in pieces, written one after another: views into cached bytes rather than a copy
 * per call, so a response allocates no buffer of its own (and leaves the garbage collector nothing big).
 */
export class EncodedJson {
  readonly chunks: readonly Buffer[];
  /** Bytes in all chunks. */
  readonly length: number;

  constructor(...chunks: Buffer[]) {
    this.chunks = chunks;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    this.length = length;
  }
}
