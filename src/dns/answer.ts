/**
 * Answers one question from the discovery view, as Route 53 answers for a Cloud Map namespace's zone:
 *
 * - outside every DNS namespace: REFUSED (Cairn is authoritative only and does not recurse);
 * - the zone apex: SOA and NS;
 * - ANY: one RRset, never all of them (RFC 8482 §4.1, so that ANY cannot amplify): the SOA at the apex; at a
 *   name with records, its CNAME, else the first of A, AAAA, SRV it has;
 * - `S.N` and, for SRV services, `I.S.N`: the instances' records (records.ts), chosen by the service's
 *   routing policy and the instances' health (select.ts); a CNAME answers every type at its name;
 * - a name with records of other types only, or with records only below it: NOERROR without answers (NODATA);
 * - any other name in the zone: NXDOMAIN.
 * Negative answers carry the zone's SOA in the authority section (RFC 2308).
 */
import type { Answer, Question } from "dns-packet";
import type { DnsRecordType } from "../store/records.js";
import type { DiscoveryView, ServiceView } from "../view/discovery-view.js";
import { dnsName, type DnsZone } from "../view/dns-zones.js";
import { serviceRecords, type RecordData, type RecordValues, type ServiceRecords } from "./records.js";
import { selectionVaries, selectValues } from "./select.js";

export type Rcode = "NOERROR" | "FORMERR" | "SERVFAIL" | "NXDOMAIN" | "NOTIMP" | "REFUSED";

export interface Resolution {
  rcode: Rcode;
  /** Set for every answer from one of our zones. */
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  /** Whether asking again may give a different answer (a random choice among several values). */
  varies: boolean;
}

/** SOA TTL of a namespace created without DNS properties (AWS leaves it unspecified; Route 53's default). */
export const DEFAULT_SOA_TTL = 900;
/** Route 53's TTL for a zone's NS record set. */
export const NS_TTL = 172800;

const REFUSED: Resolution = { rcode: "REFUSED", authoritative: false, answers: [], authorities: [], varies: false };

const RECORD_TYPES: ReadonlySet<string> = new Set<DnsRecordType>(["A", "AAAA", "CNAME", "SRV"]);
/** The RRset an ANY question gets, the first of these a name has. */
const ANY_PREFERENCE: readonly DnsRecordType[] = ["A", "AAAA", "SRV"];

export function resolve(view: DiscoveryView, question: Question, random: () => number = Math.random): Resolution {
  const name = dnsName(question.name);
  const match = view.dnsZone(name);
  if (!match) return REFUSED;
  const { zone, relative } = match;
  const owner = question.name;
  // dns-packet's RecordType leaves out the meta-types a question may ask for, such as ANY.
  const type: string = question.type;
  if (relative === "") return apex(zone, owner, type);

  const svc = zone.services.get(relative);
  const atService = svc && serviceRecords(svc);
  if (svc && atService && atService.atService.size > 0) return fromRecords(zone, owner, type, svc, atService.atService, random);

  const target = findTarget(zone, relative);
  if (target) return fromRecords(zone, owner, type, target.svc, target.records, random);

  return hasNamesBelow(zone, relative) ? negative(zone, "NOERROR") : negative(zone, "NXDOMAIN");
}

function apex(zone: DnsZone, owner: string, type: string): Resolution {
  const answers: Answer[] = [];
  if (type === "SOA" || type === "ANY") answers.push(soaRecord(zone, owner));
  if (type === "NS") answers.push({ name: owner, type: "NS", ttl: NS_TTL, data: nameServer(zone) });
  return answers.length > 0 ? { rcode: "NOERROR", authoritative: true, answers, authorities: [], varies: false } : negative(zone, "NOERROR");
}

function fromRecords(
  zone: DnsZone,
  owner: string,
  type: string,
  svc: ServiceView,
  rrsets: ReadonlyMap<DnsRecordType, RecordValues>,
  random: () => number,
): Resolution {
  const policy = svc.record.dnsConfig?.RoutingPolicy ?? "MULTIVALUE";
  const wanted = rrsetFor(rrsets, type);
  const answers = wanted ? selectValues(wanted, policy, random).map((data) => answer(owner, wanted.type, wanted.ttl, data)) : [];
  if (!wanted || answers.length === 0) return negative(zone, "NOERROR");
  return { rcode: "NOERROR", authoritative: true, answers, authorities: [], varies: selectionVaries(wanted) };
}

/** The one RRset answering `type` at a name: its CNAME whatever the type, else the type's (for ANY, see above). */
function rrsetFor(rrsets: ReadonlyMap<DnsRecordType, RecordValues>, type: string): RecordValues | undefined {
  const cname = rrsets.get("CNAME");
  if (cname) return cname;
  if (type === "ANY") return ANY_PREFERENCE.map((t) => rrsets.get(t)).find((values) => values !== undefined);
  return RECORD_TYPES.has(type) ? rrsets.get(type as DnsRecordType) : undefined;
}

function answer(name: string, type: DnsRecordType, ttl: number, data: RecordData): Answer {
  return type === "SRV" ? { name, type, ttl, data: data as Exclude<RecordData, string> } : { name, type, ttl, data: data as string };
}

/** `I.S.N` of an SRV service: the instance ID is everything before some dot, the service name the rest. */
function findTarget(zone: DnsZone, relative: string): { svc: ServiceView; records: Map<DnsRecordType, RecordValues> } | undefined {
  for (let dot = relative.indexOf("."); dot > 0; dot = relative.indexOf(".", dot + 1)) {
    const svc = zone.services.get(relative.slice(dot + 1));
    const records: ServiceRecords | undefined = svc && serviceRecords(svc);
    const addresses = records?.targets.get(relative.slice(0, dot));
    if (svc && addresses) {
      const rrsets = new Map<DnsRecordType, RecordValues>();
      if (addresses.A) rrsets.set("A", addresses.A);
      if (addresses.AAAA) rrsets.set("AAAA", addresses.AAAA);
      return { svc, records: rrsets };
    }
  }
  return undefined;
}

/** An empty non-terminal: no records here, but some below (e.g. `_tcp.N` under a service `_web._tcp`). */
function hasNamesBelow(zone: DnsZone, relative: string): boolean {
  const suffix = `.${relative}`;
  for (const [name, svc] of zone.services) {
    if (name.endsWith(suffix) && (serviceRecords(svc)?.atService.size ?? 0) > 0) return true;
  }
  return false;
}

function negative(zone: DnsZone, rcode: "NOERROR" | "NXDOMAIN"): Resolution {
  return { rcode, authoritative: true, answers: [], authorities: [soaRecord(zone, zone.apex)], varies: false };
}

const nameServer = (zone: DnsZone): string => `ns1.${zone.apex}`;

function soaRecord(zone: DnsZone, owner: string): Answer {
  const ttl = zone.namespace.record.soaTtl ?? DEFAULT_SOA_TTL;
  return {
    name: owner,
    type: "SOA",
    ttl,
    // Route 53's usual refresh, retry and expire; MINIMUM (negative caching) is the namespace's SOA TTL.
    data: { mname: nameServer(zone), rname: `hostmaster.${zone.apex}`, serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: ttl },
  };
}
