import { test } from "node:test";
import assert from "node:assert/strict";
import { awsQueryCodec } from "../../src/protocol/aws-query.js";
import { accessDenied, renderAuthFailure } from "../../src/protocol/auth-failures.js";
import { ServiceError } from "../../src/protocol/errors.js";
import { commonErrors } from "../../src/protocol/common-errors.js";
import { model as sts } from "../../src/generated/sts.js";
import { model as iam } from "../../src/generated/iam.js";

const codec = awsQueryCodec("https://sts.amazonaws.com/doc/2011-06-15/");

test("decodes flattened structures, lists and numbers as the model says", () => {
  const body = Buffer.from(
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fops%2FOp&RoleSessionName=deploy-bot&DurationSeconds=3600" +
      "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A210987654321%3Apolicy%2FRead&Tags.member.1.Key=team&Tags.member.1.Value=payments&TransitiveTagKeys.member.1=team",
  );
  assert.deepEqual(codec.decodeInput(sts, "AssumeRole", body), {
    RoleArn: "arn:aws:iam::210987654321:role/ops/Op",
    RoleSessionName: "deploy-bot",
    DurationSeconds: 3600,
    PolicyArns: [{ arn: "arn:aws:iam::210987654321:policy/Read" }],
    Tags: [{ Key: "team", Value: "payments" }],
    TransitiveTagKeys: ["team"],
  });
});

test("an empty list field is an empty list; bad numbers are ValidationError", () => {
  assert.deepEqual(codec.decodeInput(iam, "UntagUser", Buffer.from("UserName=a&TagKeys=")), { UserName: "a", TagKeys: [] });
  assert.throws(() => codec.decodeInput(sts, "GetSessionToken", Buffer.from("DurationSeconds=soon")), (e: ServiceError) => e.code === "ValidationError");
});

test("encodes results in the operation's wrapper with ISO timestamps and escaped text", () => {
  const out = codec.encodeOutput(sts, "GetCallerIdentity", { UserId: "A<B>&", Account: "210987654321", Arn: "arn" }, "rid-1");
  assert.equal(out.status, 200);
  assert.equal(out.headers["content-type"], "text/xml");
  assert.equal(
    out.body.toString(),
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><UserId>A&lt;B&gt;&amp;</UserId><Account>210987654321</Account><Arn>arn</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
  );
  const users = awsQueryCodec("https://iam.amazonaws.com/doc/2010-05-08/").encodeOutput(
    iam,
    "ListUsers",
    { Users: [{ Path: "/", UserName: "a", UserId: "AIDA", Arn: "arn", CreateDate: new Date("2025-03-04T05:06:07.123Z") }], IsTruncated: false },
    "rid-2",
  );
  assert.match(users.body.toString(), /<ListUsersResult><Users><member><Path>\/<\/Path><UserName>a<\/UserName><UserId>AIDA<\/UserId><Arn>arn<\/Arn><CreateDate>2025-03-04T05:06:07Z<\/CreateDate><\/member><\/Users><IsTruncated>false<\/IsTruncated><\/ListUsersResult>/);
});

test("encodes errors as an ErrorResponse with Type, Code, Message and RequestId", () => {
  const out = codec.encodeError(renderAuthFailure(accessDenied("no <way>"), "query"), "rid-3");
  assert.equal(out.status, 403);
  assert.equal(
    out.body.toString(),
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no &lt;way&gt;</Message></Error><RequestId>rid-3</RequestId></ErrorResponse>',
  );
});

test("error messages keep tab, LF and CR but never carry characters XML forbids", () => {
  const message = "a\u0000b\u0001c\td\ne\u001fg\ud800h\uffff\u{1F600}<&>";
  const text = codec.encodeError(commonErrors.ValidationError(message), "req-1").body.toString("utf8");
  assert.ok(
    text.includes("<Message>a\ufffdb\ufffdc\td\ne\ufffdg\ufffdh\ufffd\u{1F600}&lt;&amp;&gt;</Message>"),
    text,
  );
});
