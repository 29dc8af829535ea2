import type * as sd from "../../generated/servicediscovery.js";
import type { OperationFilter, OperationRecord, OperationStatus, OperationType } from "../../store/records.js";
import { noResourceType, operation } from "../operation.js";
import { invalidInput, operationNotFound } from "./errors.js";
import { compileCondition, rejectDuplicateFilters, requireEnumValues } from "./filters.js";
import { DEFAULT_PAGE_SIZE, decodeToken, encodeToken } from "./pagination.js";

function targets(op: OperationRecord): Record<string, string> {
  const out: Record<string, string> = {};
  if (op.namespaceId) out.NAMESPACE = op.namespaceId;
  if (op.serviceId) out.SERVICE = op.serviceId;
  if (op.instanceId) out.INSTANCE = op.instanceId;
  return out;
}

export const GetOperation = operation<sd.GetOperationRequest, sd.GetOperationResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const op =
      input.OwnerAccount === undefined || input.OwnerAccount === ctx.accountId
        ? await ctx.tx.operations.get(ctx.accountId, ctx.region, input.OperationId)
        : undefined;
    if (!op) throw operationNotFound(input.OperationId);
    return {
      Operation: {
        Id: op.id,
        OwnerAccount: op.accountId,
        Type: op.type,
        Status: op.status,
        ErrorMessage: op.errorMessage,
        ErrorCode: op.errorCode,
        CreateDate: op.createDate,
        UpdateDate: op.updateDate,
        Targets: targets(op),
      },
    };
  },
});

const STATUSES: readonly string[] = ["SUBMITTED", "PENDING", "SUCCESS", "FAIL"];
const TYPES: readonly string[] = ["CREATE_NAMESPACE", "DELETE_NAMESPACE", "UPDATE_NAMESPACE", "UPDATE_SERVICE", "REGISTER_INSTANCE", "DEREGISTER_INSTANCE"];

function epochSeconds(value: string): Date {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds)) throw invalidInput(`UPDATE_DATE values are epoch seconds, not ${value}.`);
  return new Date(seconds * 1000);
}

/** ListOperations' filters, turned into a store query (operations are too many to filter in memory). */
function operationFilter(filters: sd.OperationFilter[] = []): OperationFilter {
  rejectDuplicateFilters(filters);
  const out: OperationFilter = {};
  for (const f of filters) {
    switch (f.Name) {
      case "NAMESPACE_ID":
        compileCondition(f, ["EQ"]);
        out.namespaceId = f.Values[0];
        break;
      case "SERVICE_ID":
        compileCondition(f, ["EQ"]);
        out.serviceId = f.Values[0];
        break;
      case "STATUS":
        compileCondition(f, ["EQ", "IN"]);
        // The docs spell one value SUCCEED; the enum says SUCCESS. Both mean the same.
        out.statuses = f.Values.map((v) => (v === "SUCCEED" ? "SUCCESS" : v)) as OperationStatus[];
        requireEnumValues({ ...f, Values: out.statuses }, STATUSES);
        break;
      case "TYPE":
        compileCondition(f, ["EQ", "IN"]);
        requireEnumValues(f, TYPES);
        out.types = f.Values as OperationType[];
        break;
      case "UPDATE_DATE": {
        compileCondition(f, ["BETWEEN"]);
        if (f.Values.length !== 2) throw invalidInput("The BETWEEN condition of the UPDATE_DATE filter takes exactly two values.");
        out.updatedFrom = epochSeconds(f.Values[0]!);
        out.updatedTo = epochSeconds(f.Values[1]!);
        break;
      }
    }
  }
  return out;
}

export const ListOperations = operation<sd.ListOperationsRequest, sd.ListOperationsResponse>({
  authorize: noResourceType,
  async handle(input, ctx) {
    const filter = operationFilter(input.Filters);
    const limit = input.MaxResults ?? DEFAULT_PAGE_SIZE;
    const after = decodeToken(input.NextToken);
    // One extra row says whether another page exists, so the last page never carries a token.
    const rows = await ctx.tx.operations.list(ctx.accountId, ctx.region, filter, limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      Operations: page.map((op) => ({ Id: op.id, Status: op.status })),
      NextToken: rows.length > limit && last ? encodeToken({ time: last.createDate.getTime(), id: last.id }) : undefined,
    };
  },
});
