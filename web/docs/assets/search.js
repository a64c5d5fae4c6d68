// search.js: the pure functions behind the agent's search (what kind of
// text was typed, how a record reads in a list, what the results say). No
// DOM and no network, so `node --test` runs them (web/jstest); in the
// browser they are window.DCMSearch.
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); } else { root.DCMSearch = factory(); }
})(this, function () {
  "use strict";
  var S = {};

  // kinds are what the server searches by (interactions.Search*).
  S.kinds = ["name", "phone", "email", "case"];

  // kindOf guesses what the agent typed, so the kind follows the text until
  // the agent picks one: an address with @ is an e-mail, digits with the
  // usual phone punctuation a phone number, letters then digits (CASE-0001,
  // C123) a case number, anything else a name.
  S.kindOf = function (text) {
    var s = String(text || "").trim();
    if (!s) { return "name"; }
    if (s.indexOf("@") > 0 && !/\s/.test(s)) { return "email"; }
    var bare = s.replace(/^(tel|sip|sips):/i, "");
    if (/^\+?[\d\s().\-\/]+$/.test(bare) && (bare.match(/\d/g) || []).length >= 5) { return "phone"; }
    if (/^[A-Za-z]{1,12}[-_ ]?\d{1,}$/.test(s) || /^\d+$/.test(s)) { return "case"; }
    return "name";
  };

  // label is one record as a line: a case by number, summary and state; a
  // party by name, number and e-mail.
  S.label = function (m) {
    if (!m) { return ""; }
    if (m.kind === "case") { return [m.caseId, m.summary, m.state ? "(" + m.state + ")" : ""].filter(Boolean).join(" "); }
    return [m.name, m.phone, m.email].filter(Boolean).join(" · ");
  };

  // summary is the sentence over the results (a text key and its values):
  // none, one, several, or the first limit of more.
  S.summary = function (res) {
    var n = (res && res.matches && res.matches.length) || 0;
    if (n === 0) { return { key: "agent.search.none", vars: { query: (res && res.query) || "" } }; }
    if (res.more) { return { key: "agent.search.more", vars: { count: n } }; }
    if (n === 1) { return { key: "agent.search.one", vars: {} }; }
    return { key: "agent.search.count", vars: { count: n } };
  };

  // ids are what the log sends for a chosen record.
  S.ids = function (m) {
    return m && m.kind === "case" ? { caseId: m.id } : { partyId: m && m.id };
  };

  // fromPop is the search to offer once a pop's record is set aside: by the
  // key the pop used (a number, an address, a case number), else an empty
  // name search (a telephony "name" is often just "Caller").
  S.fromPop = function (pop) {
    var kinds = { phone: "phone", email: "email", caseId: "case" };
    if (pop && pop.key && kinds[pop.keyKind]) { return { kind: kinds[pop.keyKind], text: pop.key }; }
    return { kind: "name", text: "" };
  };

  return S;
});
