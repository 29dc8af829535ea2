/**
 * One DNS message in, one out: decoding, the header rules, EDNS0 (RFC 6891) and UDP truncation. The wire
 * format itself is dns-packet's.
 *
 * - Undecodable messages get FORMERR when their header can be read, else no answer at all; a question or
 *   record that cannot be encoded SERVFAIL; responses
 *   (QR set) are ignored; opcodes other than QUERY get NOTIMP; anything but exactly one question FORMERR;
 *   a class other than IN (or ANY) REFUSED.
 * - With an OPT record in the query the answer carries one too, advertising `EDNS_UDP_SIZE`; the client's
 *   size (at least 512, at most 65,535 bytes) bounds the UDP answer. EDNS versions above 0 get BADVERS.
 * - A UDP answer that does not fit is sent without its records and with the TC bit, so the client asks
 *   again over TCP, where answers are never truncated. Rate limiting sends such empty answers too (`slipped`).
 */
import * as packet from "dns-packet";
import type { Answer, DecodedPacket, OptAnswer, Packet } from "dns-packet";
import type { DiscoveryView } from "../view/discovery-view.js";
import { resolve, type Rcode } from "./answer.js";

/** The UDP payload Cairn advertises (the DNS Flag Day 2020 size, which avoids IP fragmentation). */
export const EDNS_UDP_SIZE = 1232;
const CLASSIC_UDP_SIZE = 512;
const OPCODE_MASK = 0x7800;
const OPCODE_QUERY = 0;
const RCODE: Record<Rcode | "BADVERS", number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 };

export type Transport = "udp" | "tcp";

/** What the listeners call for each message: the reply to send, if any. */
export type Responder = (query: Buffer, transport: Transport) => Reply | undefined;

export interface Reply {
  bytes: Buffer;
  /** For observers: the question's type ("" when there was none) and the response code sent. */
  qtype: string;
  rcode: Rcode | "BADVERS";
  truncated: boolean;
  /** Whether asking again may give a different answer (see answer-cache.ts). */
  varies: boolean;
}

/** The answer to `query`, or undefined when nothing should be sent back. Never throws. */
export function reply(view: DiscoveryView, query: Buffer, transport: Transport): Reply | undefined {
  const readable = query.length >= 12 && (query[2]! & 0x80) === 0;
  let decoded: DecodedPacket;
  try {
    decoded = packet.decode(query);
  } catch {
    return readable ? headerOnly(query, "FORMERR") : undefined;
  }
  try {
    return answer(view, decoded, transport);
  } catch {
    // Something in the question or a record could not be encoded: it costs one answer, never the listener.
    return readable ? headerOnly(query, "SERVFAIL") : undefined;
  }
}

function answer(view: DiscoveryView, decoded: DecodedPacket, transport: Transport): Reply | undefined {
  if (decoded.flag_qr) return undefined;
  const opt = decoded.additionals?.find((a): a is OptAnswer => a.type === "OPT");
  const base: Packet = {
    id: decoded.id,
    type: "response",
    questions: decoded.questions,
    answers: [],
    authorities: [],
    additionals: opt ? [optRecord(0)] : [],
  };
  const rd = echoedFlags(decoded);
  const question = decoded.questions?.[0];
  const qtype = question?.type ?? "";
  const done = (rcode: Rcode): Reply => ({ bytes: packet.encode({ ...base, flags: rd | RCODE[rcode] }), qtype, rcode, truncated: false, varies: false });

  if (((decoded.flags ?? 0) & OPCODE_MASK) !== OPCODE_QUERY) return done("NOTIMP");
  if (opt && opt.ednsVersion !== 0) {
    // BADVERS (16) does not fit the header's four bits: its upper bits travel in the OPT record.
    base.additionals = [optRecord(RCODE.BADVERS >> 4)];
    return { bytes: packet.encode({ ...base, flags: rd }), qtype, rcode: "BADVERS", truncated: false, varies: false };
  }
  if (!question || decoded.questions!.length !== 1) return done("FORMERR");
  if (question.class !== undefined && question.class !== "IN" && question.class !== "ANY") return done("REFUSED");

  const resolution = resolve(view, question);
  const flags = rd | RCODE[resolution.rcode] | (resolution.authoritative ? packet.AUTHORITATIVE_ANSWER : 0);
  const full: Packet = { ...base, flags, answers: resolution.answers, authorities: resolution.authorities };
  const limit = transport === "tcp" ? 65535 : opt ? Math.min(65535, Math.max(CLASSIC_UDP_SIZE, opt.udpPayloadSize)) : CLASSIC_UDP_SIZE;
  const bytes = packet.encode(full);
  const { rcode, varies } = resolution;
  if (bytes.length <= limit) return { bytes, qtype, rcode, truncated: false, varies };
  return { bytes: packet.encode({ ...base, flags: flags | packet.TRUNCATED_RESPONSE }), qtype, rcode, truncated: true, varies: false };
}

/** Every response echoes the query's opcode and RD bit. */
const echoedFlags = (decoded: DecodedPacket): number => (decoded.flag_rd ? packet.RECURSION_DESIRED : 0) | ((decoded.flags ?? 0) & OPCODE_MASK);

/**
 * The empty answer with TC=1 that a rate-limited UDP query may get instead of its answer: just the header and
 * the question, so that a real client asks again over TCP. Undefined when the query cannot be decoded.
 */
export function slipped(query: Buffer): Buffer | undefined {
  try {
    const decoded = packet.decode(query);
    return packet.encode({ id: decoded.id, type: "response", flags: echoedFlags(decoded) | packet.TRUNCATED_RESPONSE, questions: decoded.questions });
  } catch {
    return undefined;
  }
}

function optRecord(extendedRcode: number): Answer {
  const opt: OptAnswer = { name: ".", type: "OPT", udpPayloadSize: EDNS_UDP_SIZE, extendedRcode, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
  return opt;
}

/** A bare header answering `query` (its ID, opcode and RD) with `rcode`, for messages that cannot be answered otherwise. */
function headerOnly(query: Buffer, rcode: "FORMERR" | "SERVFAIL"): Reply {
  const bytes = Buffer.alloc(12);
  query.copy(bytes, 0, 0, 2);
  bytes.writeUInt16BE(0x8000 | ((query[2]! & 0x79) << 8) | RCODE[rcode], 2);
  return { bytes, qtype: "", rcode, truncated: false, varies: false };
}
