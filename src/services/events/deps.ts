import type { SecretBox } from "../../auth/secret-box.js";
import type { EventFeed } from "./feed.js";
import type { RuleCache } from "./rule-cache.js";

/** What the EventBridge handlers need from the server: the in-memory rules, the feed, and the secret box. */
export interface EventsDeps {
  rules: RuleCache;
  feed: EventFeed;
  box: SecretBox;
}
