import type { Generated } from "kysely";

/**
 * Table shapes as Kysely sees them. Times are integer epoch milliseconds, JSON columns are text:
 * the same representation in SQLite and PostgreSQL, so one set of queries serves both.
 */
export interface Database {
  accounts: { account_id: string; created_at: number };
  access_keys: {
    access_key_id: string;
    account_id: string;
    secret_access_key: string;
    status: string;
    created_at: number;
    /** The IAM user owning the key; null for the root key and service keys. */
    user_name: string | null;
    /** The AWS service principal a key is bound to (`ecs.amazonaws.com`); null otherwise. */
    service_principal: string | null;
  };
  iam_users: {
    account_id: string;
    name_key: string;
    user_name: string;
    user_id: string;
    path: string;
    arn: string;
    create_date: number;
    /** The managed policy ARN that bounds the user's permissions. */
    permissions_boundary: string | null;
  };
  iam_roles: {
    account_id: string;
    name_key: string;
    role_name: string;
    role_id: string;
    path: string;
    arn: string;
    trust_policy: string;
    description: string | null;
    max_session_duration: number;
    create_date: number;
    permissions_boundary: string | null;
  };
  iam_policies: {
    arn: string;
    account_id: string;
    name_key: string;
    policy_name: string;
    policy_id: string;
    path: string;
    document: string;
    default_version_id: string;
    next_version: number;
    description: string | null;
    create_date: number;
    update_date: number;
  };
  iam_policy_versions: { policy_arn: string; version_id: string; document: string; create_date: number };
  iam_groups: { account_id: string; name_key: string; group_name: string; group_id: string; path: string; arn: string; create_date: number };
  iam_group_members: { account_id: string; group_key: string; user_key: string };
  iam_inline_policies: { account_id: string; owner_kind: string; owner_key: string; policy_name: string; document: string };
  iam_attachments: { account_id: string; owner_kind: string; owner_key: string; policy_arn: string; attached_at: number };
  sts_sessions: {
    access_key_id: string;
    account_id: string;
    secret_access_key: string;
    session_token: string;
    principal: string;
    expiration: number;
    created_at: number;
  };
  namespaces: {
    id: string;
    account_id: string;
    region: string;
    arn: string;
    name: string;
    type: string;
    description: string | null;
    http_name: string;
    hosted_zone_id: string | null;
    vpc: string | null;
    soa_ttl: number | null;
    creator_request_id: string | null;
    create_date: number;
  };
  services: {
    id: string;
    account_id: string;
    region: string;
    namespace_id: string;
    arn: string;
    name: string;
    /** Lower-cased in DNS namespaces, where names are case-insensitive; the name otherwise. */
    name_key: string;
    type: string;
    description: string | null;
    dns_config: string | null;
    health_check_config: string | null;
    health_check_custom_config: string | null;
    creator_request_id: string | null;
    created_by_account: string;
    create_date: number;
    instances_revision: number;
  };
  instances: {
    service_id: string;
    instance_id: string;
    namespace_id: string;
    attributes: string;
    creator_request_id: string | null;
    created_by_account: string;
    health_status: string;
    custom_health_status: string | null;
    health_changed_at: number | null;
    create_date: number;
    update_date: number;
  };
  service_attributes: { service_id: string; attr_key: string; attr_value: string };
  operations: {
    id: string;
    account_id: string;
    region: string;
    type: string;
    status: string;
    error_code: string | null;
    error_message: string | null;
    namespace_id: string | null;
    service_id: string | null;
    instance_id: string | null;
    create_date: number;
    update_date: number;
  };
  request_tokens: {
    account_id: string;
    region: string;
    operation: string;
    token: string;
    result: string;
    created_at: number;
  };
  tags: { resource_arn: string; tag_key: string; tag_value: string; position: number };
  events: {
    seq: Generated<number>;
    event_id: string;
    account_id: string;
    region: string;
    event_time: number;
    event_name: string;
    event_source: string;
    read_only: number;
    username: string | null;
    access_key_id: string | null;
    error_code: string | null;
    record: string;
  };
  /** One row per resource of an event, with the event's scope and time so resource lookups need no join scan. */
  event_resources: {
    seq: number;
    position: number;
    account_id: string;
    region: string;
    event_time: number;
    resource_type: string;
    resource_name: string;
  };
  trails: {
    id: string;
    arn: string;
    account_id: string;
    home_region: string;
    name: string;
    name_key: string;
    multi_region: number;
    config: string;
    selectors: string;
    has_custom_selectors: number;
    is_logging: number;
    start_logging_time: number | null;
    stop_logging_time: number | null;
    windows: string;
    deleted: number;
    status: string;
    cursor_seq: number;
    plan_to_seq: number | null;
    plan_at: number | null;
    created_at: number;
    insight_selectors: string | null;
  };
  trail_log_files: {
    trail_id: string;
    region: string;
    s3_bucket: string;
    s3_object: string;
    hash_value: string;
    oldest_event_time: string;
    newest_event_time: string;
    delivered_at: number;
  };
  trail_digest_chains: { trail_id: string; region: string; last_end: number; previous: string | null; plan_end: number | null };
  signing_keys: { region: string; fingerprint: string; private_key: string; public_key: string; valid_from: number; valid_to: number };
  event_rules: {
    account_id: string;
    region: string;
    event_bus_name: string;
    name: string;
    arn: string;
    event_pattern: string | null;
    state: string;
    description: string | null;
    role_arn: string | null;
    managed_by: string | null;
    created_by: string;
    created_at: number;
  };
  event_targets: { account_id: string; region: string; event_bus_name: string; rule_name: string; target_id: string; arn: string; config: string; position: number };
  event_connections: {
    account_id: string;
    region: string;
    name: string;
    arn: string;
    description: string | null;
    authorization_type: string;
    state: string;
    auth_public: string;
    auth_sealed: string;
    created_at: number;
    modified_at: number;
    authorized_at: number | null;
  };
  event_api_destinations: {
    account_id: string;
    region: string;
    name: string;
    arn: string;
    description: string | null;
    connection_arn: string;
    invocation_endpoint: string;
    http_method: string;
    rate_limit: number;
    state: string;
    created_at: number;
    modified_at: number;
  };
  event_outbox: {
    id: string;
    event_id: string;
    rule_arn: string;
    target_id: string;
    target_arn: string;
    body: string;
    delivery: string;
    attempts: number;
    created_at: number;
    next_attempt_at: number;
  };
}
