import { errors, model } from "../../generated/cloudtrail.js";
import { defineApi } from "../define-api.js";
import { GetEventSelectors, PutEventSelectors } from "./event-selectors.js";
import { GetInsightSelectors, PutInsightSelectors } from "./insight-selectors.js";
import { LookupEvents } from "./lookup-events.js";
import { ListPublicKeys } from "./public-keys.js";
import { GetTrailStatus, StartLogging, StopLogging } from "./trail-logging.js";
import { AddTags, ListTags, RemoveTags } from "./trail-tags.js";
import { CreateTrail, DeleteTrail, DescribeTrails, GetTrail, ListTrails, UpdateTrail } from "./trails.js";

/** AWS CloudTrail: trails and Event history (LookupEvents); lakes, channels, dashboards and imports are not served. */
export const cloudtrailApi = defineApi({
  signingName: "cloudtrail",
  model,
  eventSource: "cloudtrail.amazonaws.com",
  // CloudTrail's generic "a parameter is not valid" error; operations map their own members to specific errors.
  validationError: errors.InvalidParameterException,
  operations: {
    LookupEvents,
    CreateTrail,
    UpdateTrail,
    DeleteTrail,
    GetTrail,
    DescribeTrails,
    ListTrails,
    StartLogging,
    StopLogging,
    GetTrailStatus,
    PutEventSelectors,
    GetEventSelectors,
    PutInsightSelectors,
    GetInsightSelectors,
    AddTags,
    RemoveTags,
    ListTags,
    ListPublicKeys,
  },
  // CloudTrail Lake, channels, dashboards, imports, Insights data, organisation administration.
  unsupported: [
    "CancelQuery", "CreateChannel", "CreateDashboard", "CreateEventDataStore", "DeleteChannel", "DeleteDashboard",
    "DeleteEventDataStore", "DeleteResourcePolicy", "DeregisterOrganizationDelegatedAdmin", "DescribeQuery",
    "DisableFederation", "EnableFederation", "GenerateQuery", "GetChannel", "GetDashboard", "GetEventConfiguration",
    "GetEventDataStore", "GetImport", "GetQueryResults", "GetResourcePolicy", "ListChannels", "ListDashboards",
    "ListEventDataStores", "ListImportFailures", "ListImports", "ListInsightsData", "ListInsightsMetricData",
    "ListQueries", "PutEventConfiguration", "PutResourcePolicy", "RegisterOrganizationDelegatedAdmin",
    "RestoreEventDataStore", "SearchSampleQueries", "StartDashboardRefresh", "StartEventDataStoreIngestion",
    "StartImport", "StartQuery", "StopEventDataStoreIngestion", "StopImport", "UpdateChannel", "UpdateDashboard",
    "UpdateEventDataStore",
  ],
});
