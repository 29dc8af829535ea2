import type { IncomingMessage } from "node:http";
import type { CredentialResolver, Principal } from "../auth/principal.js";
import { verifySigV4 } from "../auth/sigv4.js";
import { inProtocol, type WireProtocol } from "../protocol/auth-failures.js";
import { buildEvent, callResources, withNoted, type CallOrigin } from "../audit/record.js";
import { plainAppend, EventWriter, type RecordAppender } from "../audit/event-writer.js";
import type { Limits } from "../config.js";
import type { WireResponse } from "../protocol/codec.js";
import { ServiceError } from "../protocol/errors.js";
import { formatViolations, validateShape } from "../protocol/validate.js";
import { awsJsonCodec } from "../protocol/aws-json.js";
import { validationFailure, type OperationContext } from "../services/operation.js";
import { FetchOutside, IoFacts } from "../services/io-facts.js";
import type { ServiceDeps } from "../services/service-deps.js";
import type { Authorizer } from "../auth/authorizer.js";
import type { EventResource } from "../store/records.js";
import type { Store, StoreTx } from "../store/store.js";
import type { DiscoveryView } from "../view/discovery-view.js";
import type { HealthCheckTargets } from "../health/target-rule.js";
import type { Logger } from "../observability/logger.js";
import type { RequestFacts } from "../observability/request-facts.js";
import { unexpectedFailure } from "./failures.js";
import { RepeatedInputs } from "./repeated-inputs.js";
import { RouteError, type Route, type Router } from "./router.js";
import type { Throttle } from "./throttle.js";

export interface PipelineDeps {
  router: Router;
  store: Store;
  credentials: CredentialResolver;
  limits: Limits;
  healthCheckTargets: HealthCheckTargets;
  maxSkewMinutes: number;
  /** Served regions: a request scoped to any other is refused in SigV4 verification, before any work. */
  regions: ReadonlySet<string>;
  discovery: DiscoveryView;
  /** IAM policy evaluation: after validation, before the handler, in the call's transaction (IAM's changes clear its cache). */
  authorizer: Authorizer;
  /** Writes a CloudTrail record and what commits with it (the event bus feed); a plain append when absent. */
  appendRecord?: RecordAppender;
  /** Benchmarks only: false turns CloudTrail recording off. */
  recording?: boolean;
  logger: Logger;
  /** Per-account request rates; none when absent. */
  throttle?: Throttle;
  /** What handlers reach through `ctx.deps`. */
  services: ServiceDeps;
}

/** The `tx` of operations declared `usesStore: false`: touching it is a bug in the operation table. */
const NO_STORE = new Proxy({} as StoreTx, {
  get(_target, property) {
    throw new Error(`an operation declared usesStore: false used the store (tx.${String(property)})`);
  },
});

/**
 * One request, one way through: route → SigV4 → decode → validate → handler and CloudTrail record in one
 * transaction → encode. Handlers never see HTTP; nothing about auditing lives in a handler.
 */
export class Pipeline {
  /** Records written on their own (reads, failures) share commits with those of concurrent calls. */
  private readonly events: EventWriter;
  private readonly appendRecord: RecordAppender;
  private readonly repeated = new RepeatedInputs();

  constructor(private readonly deps: PipelineDeps) {
    this.appendRecord = deps.appendRecord ?? plainAppend;
    this.events = new EventWriter(deps.store, undefined, this.appendRecord);
  }

  /** `facts` is filled in with what routing and authentication found, for the request's log line and metrics. */
  async handle(req: IncomingMessage, body: Buffer, origin: CallOrigin, facts: RequestFacts = {}): Promise<WireResponse> {
    let route: Route;
    const [path, query = ""] = (req.url ?? "/").split("?", 2) as [string, string?];
    try {
      route = this.deps.router.route(req.headers, body, query);
      facts.api = route.api.signingName;
      facts.operation = route.operation;
    } catch (error) {
      const codec = error instanceof RouteError ? error.codec : awsJsonCodec;
      return codec.encodeError(this.asServiceError(error, codec.protocol), origin.requestId);
    }
    const { codec } = route;
    let principal: Principal;
    let region: string;
    try {
      const verified = await verifySigV4(
        { method: req.method ?? "POST", path, query, headers: req.headers, rawHeaders: req.rawHeaders, body },
        this.deps.credentials,
        { now: new Date(), maxSkewMinutes: this.deps.maxSkewMinutes, expectedService: route.api.signingName, regions: this.deps.regions },
      );
      principal = verified.credential.principal;
      region = route.api.globalRegion ?? verified.region;
      facts.principalArn = principal.arn;
      facts.region = region;
    } catch (error) {
      // A call nobody can be held to writes no CloudTrail event.
      return codec.encodeError(this.asServiceError(error, codec.protocol), origin.requestId);
    }
    // Throttled calls are answered before any work and, as recommended for AWS parity, not recorded.
    const throttled = this.deps.throttle?.check(route.api, route.operation, principal.accountId, region, Date.now());
    if (throttled) return codec.encodeError(throttled, origin.requestId);
    return this.execute(route, body, origin, principal, region);
  }

  /** A call made from inside Cairn (`--init`) as `principal`: everything after SigV4 runs exactly as for a request. */
  invoke(route: Route, body: Buffer, origin: CallOrigin, principal: Principal, region: string): Promise<WireResponse> {
    return this.execute(route, body, origin, principal, route.api.globalRegion ?? region);
  }

  private async execute(route: Route, body: Buffer, origin: CallOrigin, principal: Principal, region: string): Promise<WireResponse> {
    const { api, operation, codec } = route;
    const op = api.operations[operation]!;
    const model = api.model;
    let input: Record<string, unknown> = {};
    try {
      const repeatedKey = this.repeatedKey(route, body);
      const known = repeatedKey === undefined ? undefined : this.repeated.get(repeatedKey);
      if (known !== undefined) input = known;
      else {
        // Decoded first: a call that fails validation is recorded with the parameters it sent.
        input = codec.decodeInput(api.model, operation, route.form ?? body);
        this.validate(route, input);
        if (repeatedKey !== undefined) input = this.repeated.remember(repeatedKey, input);
      }
      let noted: EventResource[] = [];
      const io = new IoFacts();
      const context = (tx: StoreTx): OperationContext => ({
        tx,
        accountId: principal.accountId,
        region,
        principal,
        requestId: origin.requestId,
        now: new Date(),
        limits: this.deps.limits,
        healthCheckTargets: this.deps.healthCheckTargets,
        discovery: this.deps.discovery,
        noteResources: (resources) => void noted.push(...resources),
        io,
        deps: this.deps.services,
      });
      const call = { sourceIp: origin.sourceIp, secure: origin.tls !== undefined };
      const checked = this.deps.authorizer.needsCheck(principal);
      if (op.usesStore === false) {
        // Answered from memory (discovery): no transaction, and nothing to record.
        const ctx = context(NO_STORE);
        if (checked) await this.deps.authorizer.authorize(api, operation, input, ctx, call);
        return codec.encodeOutput(model, operation, await op.handle(input, ctx), origin.requestId);
      }
      const recording = op.recorded && this.deps.recording !== false;
      const record = (result: unknown) =>
        buildEvent(origin, {
          api,
          operation,
          principal,
          region,
          input,
          output: result,
          resources: withNoted(callResources(op, input, result), noted),
          eventTime: new Date(),
        });
      const attempt = () =>
        this.deps.store.transaction(async (tx) => {
          // A retried attempt starts over: what an earlier attempt found may not exist in this one.
          noted = [];
          if (checked) await this.deps.authorizer.authorize(api, operation, input, context(tx), call, tx);
          const result = await op.handle(input, context(tx));
          // A change and its record commit together, or neither does.
          if (recording && !op.readOnly) await this.appendRecord(tx, record(result));
          return result;
        }, { readOnly: op.readOnly });
      let output: unknown;
      for (;;) {
        try {
          output = await attempt();
          break;
        } catch (error) {
          // The handler needs a network fact: the attempt rolled back, the fact is fetched with no transaction open.
          if (!(error instanceof FetchOutside)) throw error;
          await io.learn(error);
        }
      }
      // A read changed nothing: its record joins the next group commit, and the answer waits for it.
      if (recording && op.readOnly) await this.events.append(record(output));
      return codec.encodeOutput(model, operation, output, origin.requestId);
    } catch (thrown) {
      const error = this.asServiceError(thrown, codec.protocol);
      if (op.recorded && this.deps.recording !== false) {
        try {
          await this.recordFailure(route, origin, principal, region, input, error);
        } catch (unrecorded) {
          // Nothing changed, but the call cannot be recorded either (a full store): say so, never acknowledge.
          return codec.encodeError(this.asServiceError(unrecorded, codec.protocol), origin.requestId);
        }
      }
      return codec.encodeError(error, origin.requestId);
    }
  }

  /** Where a call answered from memory keeps its decoded, validated input: by body, shared, frozen (repeated-inputs.ts). */
  private repeatedKey(route: Route, body: Buffer): string | undefined {
    const { api, operation, codec } = route;
    if (api.operations[operation]!.usesStore !== false || route.form !== undefined) return undefined;
    return this.repeated.key(`${codec.protocol} ${api.signingName} ${operation}`, body);
  }

  /** Throws the API's validation error when `input` breaks its model's constraints. */
  private validate(route: Route, input: Record<string, unknown>): void {
    const { api, operation } = route;
    const inputShape = api.model.operations[operation]!.input;
    if (!inputShape) return;
    const violations = validateShape(api.model, inputShape, input);
    if (violations.length > 0) {
      const failure = validationFailure(api, api.operations[operation]!, violations);
      throw failure.error(formatViolations(failure.violations));
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
      resources: callResources(api.operations[operation], input, undefined),
      eventTime: new Date(),
    });
    await this.events.append(event);
  }

  /** What `protocol` answers for `thrown`: auth failures in its codes, anything unforeseen as InternalFailure. */
  private asServiceError(thrown: unknown, protocol: WireProtocol): ServiceError {
    const error = inProtocol(thrown, protocol);
    if (error instanceof ServiceError) return error;
    this.deps.logger.error("unexpected failure", {}, error);
    return unexpectedFailure(error);
  }
}
