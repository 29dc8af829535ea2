/**
 * The structural subset of an AWS API model (botocore JSON) that Cairn generates into
 * `src/generated/` and reads at run time: names, types, constraints and error codes only.
 */
export interface ApiModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    signingName: string;
    protocol: "json" | "query";
    jsonVersion?: string;
    targetPrefix?: string;
    serviceId: string;
    globalEndpoint?: boolean;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeModel>;
}

export interface OperationModel {
  name: string;
  input?: string;
  output?: string;
  /** awsQuery: the wrapper element of the result (e.g. `GetCallerIdentityResult`). */
  resultWrapper?: string;
  errors: string[];
  /** Endpoint host prefix (`data-` for Cloud Map discovery). */
  hostPrefix?: string;
}

export interface MemberModel {
  shape: string;
  idempotencyToken?: true;
  /** awsQuery serialisation name or flattened flag where the model gives them. */
  locationName?: string;
  flattened?: true;
  deprecated?: true;
}

export type ShapeModel =
  | StructureShape
  | ListShape
  | MapShape
  | StringShape
  | NumberShape
  | { type: "boolean" }
  | { type: "timestamp"; timestampFormat?: string }
  | BlobShape;

export interface StructureShape {
  type: "structure";
  members: Record<string, MemberModel>;
  required?: string[];
  /** Present on error shapes. */
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: true;
}

export interface ListShape {
  type: "list";
  member: MemberModel;
  min?: number;
  max?: number;
  flattened?: true;
}

export interface MapShape {
  type: "map";
  key: MemberModel;
  value: MemberModel;
  min?: number;
  max?: number;
  flattened?: true;
}

export interface StringShape {
  type: "string";
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  /** The model marks the value sensitive: validation messages must not echo it. */
  sensitive?: true;
}

export interface BlobShape {
  type: "blob";
  min?: number;
  max?: number;
  /** The model marks the value sensitive: validation messages must not echo it. */
  sensitive?: true;
}

export interface NumberShape {
  type: "integer" | "long" | "double" | "float";
  min?: number;
  max?: number;
}
