// Unit tests of the pages' pure functions (assets/core.js): `make jstest`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const core = require("../docs/assets/core.js");

const q = (s) => new URLSearchParams(s);

test("readParams takes the query as it is", () => {
  assert.deepEqual(core.readParams(q("gcConversationId=c1&gcLangTag=de-de"), q(""), { gcLangTag: "fr-fr" }),
    { gcConversationId: "c1", gcLangTag: "de-de" });
});

test("readParams restores the saved parameters after a sign-in answer, without overriding it", () => {
  assert.deepEqual(core.readParams(q("code=abc&state=s1"), q(""), { gcConversationId: "c1", state: "old" }),
    { code: "abc", state: "s1", gcConversationId: "c1" });
  assert.deepEqual(core.readParams(q(""), q("access_token=t&state=s"), { langTag: "es-es" }), { langTag: "es-es" });
  assert.deepEqual(core.readParams(q("error=access_denied"), q(""), { langTag: "es-es" }), { error: "access_denied", langTag: "es-es" });
  assert.deepEqual(core.readParams(q("code=abc"), q(""), null), { code: "abc" });
});

test("param prefers the gc* name and falls back to the legacy pc* one", () => {
  assert.equal(core.param({ gcLangTag: "de-de", pcLangTag: "fr-fr" }, "gcLangTag", "pcLangTag"), "de-de");
  assert.equal(core.param({ pcLangTag: "fr-fr" }, "gcLangTag", "pcLangTag"), "fr-fr");
  assert.equal(core.param({ pcLangTag: "fr-fr" }, "gcLangTag"), "");
  assert.equal(core.param({}, "gcLangTag", "pcLangTag"), "");
});

test("keptParams drops the sign-in answer and keeps the page's own", () => {
  assert.equal(core.keptParams({ langTag: "en-us", code: "c", state: "s", error: "e", error_description: "d", session_state: "x", uninstall: "true" }),
    "langTag=en-us&uninstall=true");
  assert.equal(core.keptParams({ code: "c" }), "");
});

test("pickLanguage matches exactly, then on the language alone, else the first shipped", () => {
  const shipped = ["en-us", "de-de", "fr-fr", "es-es"];
  assert.equal(core.pickLanguage(["FR-FR"], shipped), "fr-fr");
  assert.equal(core.pickLanguage(["", undefined, "de-AT"], shipped), "de-de");
  assert.equal(core.pickLanguage(["es"], shipped), "es-es");
  assert.equal(core.pickLanguage(["ja-jp", "nl"], shipped), "en-us");
  assert.equal(core.pickLanguage([], shipped), "en-us");
});

test("lookup translates, falls back to en-us and then to the key, and fills {names}", () => {
  const text = core.mergeText({}, { "en-us": { "a.hi": "Hello {name}", "a.only": "English only" }, "de-de": { "a.hi": "Hallo {name}" } });
  assert.equal(core.lookup(text, "de-de", "a.hi", { name: "Ann" }), "Hallo Ann");
  assert.equal(core.lookup(text, "de-de", "a.only"), "English only");
  assert.equal(core.lookup(text, "fr-fr", "a.hi", { name: "Ann" }), "Hello Ann");
  assert.equal(core.lookup(text, "de-de", "a.missing"), "a.missing");
  assert.equal(core.lookup({}, "de-de", "a.hi"), "a.hi");
  assert.equal(core.lookup(text, "en-us", "a.hi", { name: "{name}" }), "Hello {name}");
  assert.equal(core.lookup({ "en-us": { k: "{n} of {n}" } }, "en-us", "k", { n: 3 }), "3 of 3");
});

test("mergeText adds keys to a language without dropping earlier ones", () => {
  const text = core.mergeText({}, { "en-us": { a: "1" } });
  core.mergeText(text, { "en-us": { b: "2" }, "de-de": { a: "eins" } });
  assert.deepEqual(text, { "en-us": { a: "1", b: "2" }, "de-de": { a: "eins" } });
});

test("describeError translates the server's code, keeps sign-in wording, else the status", () => {
  const t = (key, vars) => key + ":" + (vars ? (vars.detail !== undefined ? vars.detail : JSON.stringify(vars)) : "");
  assert.equal(core.describeError({ status: 503, code: "upstreamDown", params: { system: "ServiceJourney" }, message: "appbase: rule X: transport: EOF" }, t),
    'msg.upstreamDown:{"system":"ServiceJourney"}');
  assert.equal(core.describeError({ network: true, message: "Failed to fetch" }, t), "msg.network:");
  assert.equal(core.describeError({ status: 503, message: "down" }, t), "error.503:");
  assert.equal(core.describeError({ status: 401, message: "x", signIn: true }, t), "x");
  assert.equal(core.describeError({ status: 500, message: "boom" }, t), "boom");
  assert.equal(core.describeError(new Error("plain"), t), "plain");
  assert.equal(core.describeError("text", t), "text");
});

test("technicalLine holds the request id and the server's line for the administrator", () => {
  assert.equal(core.technicalLine({ requestId: "r-1", status: 503, type: "DCMConnect.ServiceJourneyUnavailable", message: "appbase: EOF" }),
    "Request r-1 · HTTP 503 · DCMConnect.ServiceJourneyUnavailable · appbase: EOF");
  assert.equal(core.technicalLine(null), "");
});

test("originOf gives the origin of a URL, or nothing for a bad one", () => {
  assert.equal(core.originOf("https://sj.example.com:8443/Ecx.Web/do/x?y=1"), "https://sj.example.com:8443");
  assert.equal(core.originOf("not a url"), "");
  assert.equal(core.originOf(undefined), "");
});

test("formatNumber groups thousands in the page's language", () => {
  assert.equal(core.formatNumber(5000, "en-us"), "5,000");
  assert.equal(core.formatNumber(5000, "de-de"), "5.000");
  assert.equal(core.formatNumber(undefined, "en-us"), "0");
});

test("relativeTime picks seconds, minutes, hours or days", () => {
  const now = Date.parse("2026-01-10T12:00:00Z");
  const ago = (s) => new Date(now - s * 1000).toISOString();
  assert.equal(core.relativeTime(ago(30), now, "en-us"), "30 seconds ago");
  assert.equal(core.relativeTime(ago(5 * 60), now, "en-us"), "5 minutes ago");
  assert.equal(core.relativeTime(ago(3 * 3600), now, "en-us"), "3 hours ago");
  assert.equal(core.relativeTime(ago(2 * 86400), now, "en-us"), "2 days ago");
  assert.equal(core.relativeTime(ago(3 * 3600), now, "de-de"), "vor 3 Stunden");
  assert.equal(core.relativeTime("", now, "en-us"), "");
  assert.equal(core.relativeTime("not a date", now, "en-us"), "");
});

test("every text table is JSON with the four shipped languages", () => {
  const dir = path.join(__dirname, "../docs/assets/i18n");
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
  assert.deepEqual(files.sort(), ["agent.json", "shared.json", "supervisor.json", "wizard.json"]);
  for (const f of files) {
    const tables = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    assert.deepEqual(Object.keys(tables).sort(), ["de-de", "en-us", "es-es", "fr-fr"], f);
  }
});

test("formatMsg says a sentence by code, nested sentences and lists included", () => {
  const text = { "en-us": { "setup.kindProblem": "{kind}: {problem}", "setup.kind.group": "agents group",
    "setup.problem.opensElsewhere": "opens {got} instead of {want}", "setup.appsMissing": "missing: {kinds}", "setup.kind.role": "agent role",
    "setup.usersCount": "{n} user(s)" },
    "de-de": { "setup.kindProblem": "{kind}: {problem}", "setup.kind.group": "Agentengruppe", "setup.problem.opensElsewhere": "öffnet {got} statt {want}" } };
  const t = (lang) => (key, vars) => core.lookup(text, lang, key, vars);
  const m = { code: "kindProblem", params: { kind: { code: "kind.group" }, problem: { code: "problem.opensElsewhere", params: { got: "a", want: "b" } } } };
  assert.equal(core.formatMsg(m, t("de-de"), "setup."), "Agentengruppe: öffnet a statt b");
  assert.equal(core.formatMsg(m, t("en-us"), "setup."), "agents group: opens a instead of b");
  assert.equal(core.formatMsg({ code: "appsMissing", params: { kinds: [{ code: "kind.group" }, { code: "kind.role" }] } }, t("en-us"), "setup."),
    "missing: agents group; agent role");
  assert.equal(core.formatMsg({ code: "usersCount", params: { n: 0 } }, t("en-us"), "setup."), "0 user(s)");
  assert.equal(core.formatMsg(null, t("en-us"), "setup."), "");
});
