import type { IncomingMessage } from "node:http";
import type { CredentialResolver, Principal } from "../auth/principal.js";
import { AuthError, verifySigV4 } from "../auth/sigv4.js";
import { buildEvent, type CallOrigin } from "../audit/record.js";
import type { Limits } from "../config.js";
import type { WireResponse } from "../protocol/codec.js";
import { ServiceError, internalFailure } from "../protocol/errors.js";
import { formatViolations, validateShape } from "../protocol/validate.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import type { OperationContext } from "../services/operation.js";
import type { Store } from "../store/store.js";
import type { Route, Router } from "./router.js";

export interface PipelineDeps {
  router: Router;
  store: Store;
  credentials: CredentialResolver;
  limits: Limits;
  maxSkewMinutes: number;
  log(message: string, error?: unknown): void;
}

/**
 * One request, one way through: route → SigV4 → decode → validate → handler and CloudTrail record in one
 * transaction → encode. Handlers never see HTTP; nothing about auditing lives in a handler.
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async handle(req: IncomingMessage, body: Buffer, origin: CallOrigin): Promise<WireResponse> {
    let route: Route;
    try {
      route = this.deps.router.route(req.headers);
    } catch (error) {
      return awsJsonCodec.encodeError(this.asServiceError(error), origin.requestId);
    }
    const { codec } = route;
    let principal: Principal;
    let region: string;
    try {
      const [path, query = ""] = (req.url ?? "/").split("?", 2) as [string, string?];
      const verified = await verifySigV4(
        { method: req.method ?? "POST", path, query, headers: req.headers, rawHeaders: req.rawHeaders, body },
        this.deps.credentials,
        { now: new Date(), maxSkewMinutes: this.deps.maxSkewMinutes, expectedService: route.api.signingName },
      );
      principal = verified.credential.principal;
      region = verified.region;
    } catch (error) {
      // A call nobody can be held to writes no CloudTrail event.
      return codec.encodeError(error instanceof AuthError ? error.toServiceError(codec.protocol) : this.asServiceError(error), origin.requestId);
    }
    return this.execute(route, body, origin, principal, region);
  }

  private async execute(route: Route, body: Buffer, origin: CallOrigin, principal: Principal, region: string): Promise<WireResponse> {
    const { api, operation, codec } = route;
    const op = api.operations[operation]!;
    const model = api.model;
    let input: Record<string, unknown> = {};
    try {
      input = codec.decodeInput(model, operation, body);
      const inputShape = model.operations[operation]!.input;
      if (inputShape) {
        const violations = validateShape(model, inputShape, input);
        if (violations.length > 0) throw new ServiceError(api.validationErrorCode, formatViolations(violations));
      }
      const output = await this.deps.store.transaction(async (tx) => {
        const ctx: OperationContext = {
          tx,
          accountId: principal.accountId,
          region,
          principal,
          requestId: origin.requestId,
          now: new Date(),
          limits: this.deps.limits,
        };
        const result = await op.handle(input, ctx);
        if (op.recorded) {
          await tx.events.append(
            buildEvent(origin, {
              api,
              operation,
              principal,
              region,
              input,
              output: result,
              resources: op.resources?.(input, result) ?? [],
              eventTime: new Date(),
            }),
          );
        }
        return result;
      });
      return codec.encodeOutput(model, operation, output, origin.requestId);
    } catch (thrown) {
      const error = this.asServiceError(thrown);
      if (op.recorded) await this.recordFailure(route, origin, principal, region, input, error);
      return codec.encodeError(error, origin.requestId);
    }
  }

  /** A failed call's change rolled back; its record is written on its own. */
  private async recordFailure(
    route: Route,
    origin: CallOrigin,
    principal: Principal,
    region: string,
    input: Record<string, unknown>,
    error: ServiceError,
  ): Promise<void> {
    const { api, operation } = route;
    const event = buildEvent(origin, {
      api,
      operation,
      principal,
      region,
      input,
      error,
      resources: api.operations[operation]!.resources?.(input, undefined) ?? [],
      eventTime: new Date(),
    });
    await this.deps.store.transaction((tx) => tx.events.append(event));
  }

  private asServiceError(error: unknown): ServiceError {
    if (error instanceof ServiceError) return error;
    this.deps.log("unexpected failure", error);
    return internalFailure();
  }
}
