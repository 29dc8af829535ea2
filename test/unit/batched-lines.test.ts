import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { BATCH_BYTES, BATCH_MS, BatchedLines } from "../../src/observability/batched-lines.js";

function sink() {
  const writes: string[] = [];
  return { writes, out: { write: (text: string) => void writes.push(text), flushSync: () => undefined } };
}

test("lines are handed on in one write once a batch is full, in order", () => {
  const { writes, out } = sink();
  const lines = new BatchedLines(out);
  const line = "x".repeat(1023) + "\n";
  for (let i = 0; i < BATCH_BYTES / 1024 - 1; i++) lines.write(line);
  assert.equal(writes.length, 0);
  lines.write("short\n");
  assert.equal(writes.length, 0, "still short of BATCH_BYTES");
  lines.write(line);
  assert.equal(writes.length, 1, "a batch goes once it holds BATCH_BYTES");
  assert.equal(writes[0], line.repeat(BATCH_BYTES / 1024 - 1) + "short\n" + line);
  lines.write("next\n");
  lines.flush();
  assert.deepEqual(writes.slice(1), ["next\n"]);
});

test("a lone line waits no longer than BATCH_MS; flush hands on at once and calls back", async () => {
  const { writes, out } = sink();
  const lines = new BatchedLines(out);
  lines.write("a\n");
  await sleep(BATCH_MS * 3);
  assert.deepEqual(writes, ["a\n"]);
  lines.write("b\n");
  let called = false;
  lines.flush(() => (called = true));
  assert.deepEqual(writes, ["a\n", "b\n"]);
  assert.ok(called);
  lines.flush();
  assert.equal(writes.length, 2, "nothing pending, nothing written");
});

test("a process that exits right after logging still writes its lines (the default stdout logger)", () => {
  const logger = fileURLToPath(new URL("../../src/observability/logger.js", import.meta.url));
  const script = `import(${JSON.stringify(logger)}).then(({ createLogger }) => { const l = createLogger({ level: "info" }); for (let i = 0; i < 3; i++) l.info("line", { i }); process.exit(0); });`;
  const out = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
  const lines = out.trim().split("\n").map((l) => JSON.parse(l) as { msg: string; i: number });
  assert.deepEqual(lines.map((l) => l.i), [0, 1, 2]);
});
