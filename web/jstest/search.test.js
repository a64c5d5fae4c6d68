// Unit tests of the agent search's pure functions (assets/search.js): `make jstest`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const search = require("../docs/assets/search.js");

test("kindOf tells e-mail, phone, case number and name apart", () => {
  const cases = {
    "erin@example.org": "email",
    " Bob@Brown.example ": "email",
    "+1 415 555 0101": "phone",
    "(415) 555-0199": "phone",
    "tel:+14155550101": "phone",
    "0171 1234567": "phone",
    "CASE-0001": "case",
    "case 12": "case",
    "C123": "case",
    "4711": "case",
    "Bob Brown": "name",
    "brown": "name",
    "O'Neil": "name",
    "Müller-Lüdenscheidt": "name",
    "a @b": "name",
    "": "name",
  };
  for (const [text, want] of Object.entries(cases)) {
    assert.equal(search.kindOf(text), want, JSON.stringify(text));
  }
  assert.equal(search.kindOf(undefined), "name");
});

test("label reads a case by number and a party by name, number and e-mail", () => {
  assert.equal(search.label({ kind: "case", id: "1", caseId: "CASE-0001", summary: "Router keeps rebooting", state: "Open" }),
    "CASE-0001 Router keeps rebooting (Open)");
  assert.equal(search.label({ kind: "party", id: "P-2", name: "Bob Brown", phone: "+14155550199", email: "bob@brown.example" }),
    "Bob Brown · +14155550199 · bob@brown.example");
  assert.equal(search.label({ kind: "party", id: "P-4", name: "Brown Household" }), "Brown Household");
  assert.equal(search.label(null), "");
});

test("summary says none, one, several or the first of more", () => {
  assert.deepEqual(search.summary({ query: "zz", matches: [] }), { key: "agent.search.none", vars: { query: "zz" } });
  assert.deepEqual(search.summary({ matches: [{}] }), { key: "agent.search.one", vars: {} });
  assert.deepEqual(search.summary({ matches: [{}, {}, {}] }), { key: "agent.search.count", vars: { count: 3 } });
  assert.deepEqual(search.summary({ matches: new Array(20).fill({}), more: true }), { key: "agent.search.more", vars: { count: 20 } });
  assert.deepEqual(search.summary(null), { key: "agent.search.none", vars: { query: "" } });
});

test("ids are what the log sends for the chosen record", () => {
  assert.deepEqual(search.ids({ kind: "case", id: "7" }), { caseId: "7" });
  assert.deepEqual(search.ids({ kind: "party", id: "P-1" }), { partyId: "P-1" });
});

test("fromPop searches again by the pop's key, else offers an empty name search", () => {
  assert.deepEqual(search.fromPop({ keyKind: "phone", key: "+14155550101" }), { kind: "phone", text: "+14155550101" });
  assert.deepEqual(search.fromPop({ keyKind: "email", key: "a@b.example" }), { kind: "email", text: "a@b.example" });
  assert.deepEqual(search.fromPop({ keyKind: "caseId", key: "CASE-0001" }), { kind: "case", text: "CASE-0001" });
  assert.deepEqual(search.fromPop({ keyKind: "partyId", key: "P-1", customer: { name: "Caller" } }), { kind: "name", text: "" });
  assert.deepEqual(search.fromPop(null), { kind: "name", text: "" });
});
