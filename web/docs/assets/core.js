// core.js: the pure functions behind the pages (page parameters, language,
// text lookup, formatting). No DOM and no network, so `node --test` runs
// them (web/jstest); in the browser they are window.DCMCore.
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); } else { root.DCMCore = factory(); }
})(this, function () {
  "use strict";
  var C = {};

  // The answer parameters of a sign-in; a cleaned address drops them.
  C.oauthParams = ["code", "state", "error", "error_description", "session_state"];

  // readParams collects the page's query parameters. After the OAuth round
  // trip the address carries only the answer (code/state, or a fragment):
  // then the parameters Genesys gave the page before it left (saved) come back.
  C.readParams = function (query, hash, saved) {
    var p = {};
    query.forEach(function (v, k) { p[k] = v; });
    var answer = p.code || p.error || hash.get("access_token") || hash.get("error");
    if (answer && saved && typeof saved === "object") {
      Object.keys(saved).forEach(function (k) { if (!(k in p)) { p[k] = saved[k]; } });
    }
    return p;
  };

  // param reads a Genesys template variable by its gc* name, else by its legacy pc* name.
  C.param = function (params, gcName, pcName) {
    return params[gcName] || (pcName ? params[pcName] : "") || "";
  };

  // keptParams are the page's own parameters, without the sign-in answer.
  C.keptParams = function (params) {
    var keep = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (C.oauthParams.indexOf(k) < 0) { keep.set(k, params[k]); }
    });
    return keep.toString();
  };

  // pickLanguage is the first wanted language we ship, matching on the
  // language alone ("de" or "de-at" gives "de-de") when the region differs.
  C.pickLanguage = function (wanted, supported) {
    for (var i = 0; i < wanted.length; i++) {
      var w = (wanted[i] || "").toLowerCase();
      if (!w) { continue; }
      if (supported.indexOf(w) >= 0) { return w; }
      for (var j = 0; j < supported.length; j++) {
        if (supported[j].split("-")[0] === w.split("-")[0]) { return supported[j]; }
      }
    }
    return supported[0];
  };

  // mergeText adds tables ({lang: {key: text}}) into text, key by key.
  C.mergeText = function (text, tables) {
    Object.keys(tables || {}).forEach(function (lang) {
      var t = text[lang] || (text[lang] = {});
      Object.keys(tables[lang]).forEach(function (k) { t[k] = tables[lang][k]; });
    });
    return text;
  };

  // lookup is the text for key in lang, falling back to en-us and then to
  // the key itself, with each {name} replaced by vars[name].
  C.lookup = function (text, lang, key, vars) {
    var en = text["en-us"] || {};
    var table = text[lang] || en;
    var s = table[key] || en[key] || key;
    if (vars) { Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); }); }
    return s;
  };

  // errorKeys name the sentence for a failed call by its HTTP status.
  C.errorKeys = { 401: "error.401", 403: "error.403", 502: "error.502", 503: "error.503", 504: "error.504" };

  // describeError turns a failed call into one sentence in the page's
  // language (t translates): the server's message code when it sent one
  // (msg.<code>, its parameters filled in), "not reachable" when no answer
  // came; the server's own English line is for the administrator only
  // (technicalLine). A failed sign-in keeps its (already translated) wording.
  C.describeError = function (e, t) {
    if (e && e.signIn) { return e.message; }
    if (e && e.code) { return t("msg." + e.code, e.params || {}); }
    if (e && e.network) { return t("msg.network"); }
    var key = C.errorKeys[e && e.status];
    return key ? t(key) : (e && e.message) || String(e);
  };

  // technicalLine is what an administrator needs to find a failure: the
  // request id (the server logs the details under it) and the server's line.
  C.technicalLine = function (e) {
    if (!e) { return ""; }
    return [e.requestId ? "Request " + e.requestId : "", e.status ? "HTTP " + e.status : "", e.type || "", e.message || ""]
      .filter(Boolean).join(" · ");
  };

  // formatMsg says a server sentence sent by code ({code, params}, setup's
  // Msg) with t, under the key prefix + code. A param is data, another such
  // sentence, or a list of them (said one after another, "; " between).
  C.formatMsg = function (m, t, prefix) {
    if (!m || !m.code) { return ""; }
    var vars = {};
    Object.keys(m.params || {}).forEach(function (k) {
      var v = m.params[k];
      if (Array.isArray(v)) {
        vars[k] = v.map(function (x) { return x && typeof x === "object" ? C.formatMsg(x, t, prefix) : String(x); }).join("; ");
      } else if (v && typeof v === "object") {
        vars[k] = C.formatMsg(v, t, prefix);
      } else {
        vars[k] = v;
      }
    });
    return t(prefix + m.code, vars);
  };

  C.originOf = function (u) {
    try { return new URL(u).origin; } catch (e) { return ""; }
  };

  C.formatNumber = function (n, lang) { return Number(n || 0).toLocaleString(lang); };

  // relativeTime says how long ago (or until) iso is from now, in lang:
  // seconds, minutes, hours, then days.
  C.relativeTime = function (iso, now, lang) {
    if (!iso) { return ""; }
    var d = new Date(iso);
    if (isNaN(d)) { return ""; }
    if (!(typeof Intl === "object" && Intl.RelativeTimeFormat)) { return d.toLocaleString(lang); }
    var rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    var s = Math.round((d.getTime() - now) / 1000);
    var a = Math.abs(s);
    if (a < 60) { return rtf.format(s, "second"); }
    if (a < 3600) { return rtf.format(Math.round(s / 60), "minute"); }
    if (a < 86400) { return rtf.format(Math.round(s / 3600), "hour"); }
    return rtf.format(Math.round(s / 86400), "day");
  };

  C.clockTime = function (iso, lang) { return iso ? new Date(iso).toLocaleTimeString(lang) : ""; };

  // conflictGroups folds the user map's conflict entries into one row per
  // group of users that compete for the same link (joined through the ids
  // each entry names as related); other entries pass through as they are.
  // A group row sits where its first member was and carries: members, the
  // users of each side, and primary, the entry whose reason and fix speak
  // for the group (the one user on a side that has one, else the first
  // Genesys user).
  C.conflictGroups = function (entries) {
    var parent = {}, conflict = {};
    function node(side, id) { return side + ":" + String(id).toLowerCase(); }
    function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
    function selfOf(e) { return e.genesysUser ? node("g", e.genesysUser.id) : node("s", e.serviceJourneyUser.id); }
    entries.forEach(function (e) {
      if (e.status !== "conflict") { return; }
      [e.genesysUser && node("g", e.genesysUser.id), e.serviceJourneyUser && node("s", e.serviceJourneyUser.id)].forEach(function (n) {
        if (n) { conflict[n] = true; parent[n] = n; }
      });
    });
    entries.forEach(function (e) {
      if (e.status !== "conflict") { return; }
      var self = find(selfOf(e));
      (e.relatedGenesysUserIds || []).map(function (id) { return node("g", id); })
        .concat((e.relatedServiceJourneyUserIds || []).map(function (id) { return node("s", id); }))
        .forEach(function (n) { if (conflict[n]) { parent[find(n)] = self; self = find(self); } });
    });
    var groups = {}, out = [];
    entries.forEach(function (e) {
      if (e.status !== "conflict") { out.push(e); return; }
      var root = find(selfOf(e));
      var g = groups[root];
      if (!g) {
        g = groups[root] = { status: "conflict", group: true, members: [], genesysUsers: [], serviceJourneyUsers: [] };
        out.push(g);
      }
      g.members.push(e);
      if (e.genesysUser) { g.genesysUsers.push(e.genesysUser); }
      if (e.serviceJourneyUser) { g.serviceJourneyUsers.push(e.serviceJourneyUser); }
    });
    return out.map(function (g) {
      if (!g.group) { return g; }
      if (g.members.length === 1) { return g.members[0]; }
      var loneSJ = g.serviceJourneyUsers.length === 1 && g.genesysUsers.length !== 1;
      g.primary = g.members.filter(function (e) { return loneSJ ? !!e.serviceJourneyUser : !!e.genesysUser; })[0] || g.members[0];
      g.conflictKind = g.primary.conflictKind;
      g.genesysUser = g.genesysUsers[0];
      g.serviceJourneyUser = g.serviceJourneyUsers[0];
      return g;
    });
  };

  return C;
});
