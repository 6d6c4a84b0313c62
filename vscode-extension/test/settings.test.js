// Unit tests of the extension's pure functions (node --test).
const test = require("node:test");
const assert = require("node:assert");
const { serverCommand, statusText } = require("../dist/settings.js");

test("the server command carries the extra rule folders", () => {
  assert.deepStrictEqual(serverCommand({ path: "", failOn: "warning", rules: ["regles", "autres"] }), {
    command: "clausier",
    args: ["lsp", "--rules", "regles", "--rules", "autres"],
  });
  assert.strictEqual(serverCommand({ path: "/opt/clausier", failOn: "error", rules: [] }).command, "/opt/clausier");
});

test("the status bar fails at the configured level", () => {
  assert.deepStrictEqual(statusText({ error: 0, warning: 0, info: 0 }, "info"), { text: "$(check) clausier", failing: false });
  assert.strictEqual(statusText({ error: 0, warning: 2, info: 1 }, "error").failing, false);
  assert.strictEqual(statusText({ error: 0, warning: 2, info: 1 }, "warning").failing, true);
  assert.strictEqual(statusText({ error: 0, warning: 0, info: 1 }, "info").failing, true);
  assert.match(statusText({ error: 1, warning: 2, info: 3 }, "error").text, /1 ✖ 2 ⚠ 3 ℹ/);
});
