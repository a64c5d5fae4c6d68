// agent.js: the agent page (Genesys interaction widget). Start-up (config,
// sign-in, WhoAmI) is shared in dcm.js. Per conversation it pops the
// ServiceJourney record (one match: the page; several: a picker; none:
// "create new"), lets the agent search ServiceJourney from any state and
// choose another record, logs the interaction at connect, disconnect and
// wrap-up with the chosen record, and lets the ServiceJourney page ask to
// dial or name a record it created (postMessage, origin checked).
(function () {
  "use strict";
  var cfg = window.DCMConfig || {};
  var $ = DCM.$;
  var conversationId = DCM.param("gcConversationId", "pcConversationId");
  var sjOrigin = DCMCore.originOf(cfg.solutionURL);
  var Search = window.DCMSearch;
  var chosen = {};
  var logged = {};
  var lastPop = null;
  // shown is what showOnly last showed; opened says where the open record
  // came from (pop, picker, search, create).
  var shown = [];
  var opened = "";
  var pollMs = Math.max(1, Number(DCM.params.pollSeconds) || 10) * 1000;
  var pollUntil = Date.now() + 12 * 3600 * 1000;

  // ---- what the page shows ----
  function showOnly(ids) {
    shown = ids.slice();
    ["picker", "none", "internal", "search", "record-bar", "sj", "status-detail", "status-actions", "status-admin"].forEach(function (id) {
      $(id).hidden = ids.indexOf(id) < 0;
    });
  }
  // bar shows the action bar with only the search button (no record open).
  function bar() {
    $("back").hidden = true;
    $("not-this").hidden = true;
    $("search-open").hidden = false;
    return "record-bar";
  }
  function setStatus(text, reason) {
    var el = $("status");
    DCM.message(el, text, reason ? "error" : "");
    if (text) { announce(""); } // the status says it; no older announcement beside it
    if (reason) { el.setAttribute("data-reason", reason); } else { el.removeAttribute("data-reason"); }
  }
  // announce tells a screen reader what the page now shows when no
  // visible message says it (a record opened, the picker, no match): the
  // panels appear without a live region of their own.
  function announce(text) {
    $("announce").textContent = text || "";
  }
  function keyText(kind, value) {
    return kind ? DCM.t("agent.key." + kind, { value: value }) : "";
  }
  // openRecord shows a ServiceJourney page; the bar above it leads back to
  // the list (picker) or the results (search), away from a wrong match
  // (pop, search), and to the search.
  function openRecord(url, from, what) {
    var frame = $("sj");
    frame.src = url;
    setStatus("");
    announce(what ? DCM.t("agent.opened", { what: what }) : "");
    opened = from;
    $("back").hidden = from !== "picker" && from !== "search";
    $("back").textContent = DCM.t(from === "search" ? "agent.search.backToResults" : "agent.backToList");
    $("not-this").hidden = from !== "pop" && from !== "search";
    $("search-open").hidden = false;
    showOnly(["sj", "record-bar"]);
  }

  // choose makes m the record the log and the transfer context name, as a
  // pick from the pop's list does: the connect log carries it (the server
  // keeps it for the later logs and writes it to the conversation once).
  function choose(m, from) {
    chosen = Search.ids(m);
    openRecord(m.url, from, Search.label(m));
    log("connect");
  }

  // notThisCustomer leaves a wrong match: the server no longer names it in
  // later logs, and the agent is back at the search results (a searched
  // record) or at the "no match" choices with a search (the pop's).
  function notThisCustomer() {
    chosen = {};
    $("sj").removeAttribute("src");
    if (conversationId) {
      // Forgotten after the log on its way (the connect log names the
      // record, and the server would remember it again), then logged again
      // at once, so the record loses the rejected id now (the server sends
      // its clear marker), not at a next log a closed page never writes.
      logDone.then(function () {
        return DCM.call("ForgetRecord", { conversationId: conversationId });
      }).then(function () {
        if (lastEvent) { return log(lastEvent); }
      }, function (e) {
        notice(DCM.describeError(e), true);
      });
    }
    if (opened === "search") {
      showSearchView();
      return;
    }
    showNone(lastPop || {}, true);
  }
  function showNone(pop, rejected) {
    setStatus("");
    $("none-key").textContent = rejected ? DCM.t("agent.none.rejected")
      : pop.key ? DCM.t("agent.none.key", { key: keyText(pop.keyKind, pop.key) }) : DCM.t("agent.none.nokey");
    announce(DCM.t("agent.none.title") + ". " + $("none-key").textContent);
    $("create").onclick = function () { openRecord(pop.createUrl, "create"); };
    prefillSearch(Search.fromPop(pop));
    searchView = ["none", "search"];
    $("search-close").hidden = true;
    showOnly(searchView);
  }

  function render(pop) {
    lastPop = pop;
    if (pop.outcome === "one") {
      var m = pop.matches[0];
      chosen = Search.ids(m);
      openRecord(pop.url, "pop", Search.label(m));
      return;
    }
    if (pop.outcome === "many") {
      setStatus("");
      $("picker-key").textContent = DCM.t("agent.picker.key", { count: pop.matches.length, key: keyText(pop.keyKind, pop.key) });
      var list = $("matches");
      DCM.clear(list);
      pop.matches.forEach(function (m) {
        var li = DCM.el("li");
        var b = DCM.el("button", { type: "button", className: "match", "data-id": m.id, text: Search.label(m) });
        b.addEventListener("click", function () { choose(m, "picker"); });
        li.appendChild(b);
        list.appendChild(li);
      });
      $("picker-create").onclick = function () { openRecord(pop.createUrl, "picker"); };
      announce($("picker-key").textContent);
      showOnly(["picker", bar()]);
      return;
    }
    if (pop.outcome === "internal") { // no customer: nothing to look up or create
      setStatus("");
      announce(DCM.t("agent.internal.title"));
      showOnly(["internal", bar()]);
      return;
    }
    showNone(pop, false);
  }

  // ---- the agent's search ----
  // searchView is what shows the search (with the "no match" panel, or on
  // its own); searchReturn what was shown before the agent opened it.
  var searchView = ["search"];
  var searchReturn = null;
  var kindChosen = false;
  var searchSeq = 0;
  function prefillSearch(q) {
    if (!q) { return; }
    $("search-kind").value = q.kind;
    $("search-text").value = q.text;
    kindChosen = false; // the prefill is what the guess gives; typing may change it
  }
  function showSearchView() {
    showOnly(searchView);
  }
  function openSearch() {
    searchReturn = shown.slice();
    searchView = ["search"];
    $("search-close").hidden = false;
    showOnly(searchView);
    $("search-text").focus();
  }
  function closeSearch() {
    if (searchReturn) { showOnly(searchReturn); }
  }
  function searchStatus(text, kind) {
    DCM.message($("search-status"), text, kind);
  }
  function runSearch() {
    var kind = $("search-kind").value, text = $("search-text").value;
    var list = $("search-results");
    DCM.adminDetails($("search-admin"), null);
    if (!text.trim()) {
      DCM.clear(list);
      searchStatus(DCM.t("msg.searchEmpty"), "error");
      $("search-status").setAttribute("data-state", "error");
      return Promise.resolve();
    }
    var seq = ++searchSeq;
    searchStatus(DCM.t("agent.search.searching"));
    $("search-status").setAttribute("data-state", "searching");
    $("search-go").disabled = true;
    var params = { kind: kind, text: text };
    if (conversationId) { params.conversationId = conversationId; }
    return DCM.call("SearchRecords", params).then(function (res) {
      if (seq !== searchSeq) { return; }
      DCM.clear(list);
      (res.matches || []).forEach(function (m) {
        var b = DCM.el("button", { type: "button", className: "match", "data-id": m.id, "data-kind": m.kind, text: Search.label(m) });
        b.addEventListener("click", function () { choose(m, "search"); });
        list.appendChild(DCM.el("li", {}, [b]));
      });
      var sum = Search.summary(res);
      searchStatus(DCM.t(sum.key, sum.vars), res.more ? "warn" : "");
      $("search-status").setAttribute("data-state", res.more ? "more" : (res.matches || []).length ? "found" : "none");
    }).catch(function (e) {
      if (seq !== searchSeq) { return; }
      DCM.clear(list);
      searchStatus(DCM.describeError(e), "error");
      $("search-status").setAttribute("data-state", "error");
      DCM.adminDetails($("search-admin"), e);
    }).then(function () {
      if (seq === searchSeq) { $("search-go").disabled = false; }
    });
  }
  $("search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    runSearch();
  });
  // The kind follows what is typed until the agent picks one.
  $("search-text").addEventListener("input", function () {
    if (!kindChosen) { $("search-kind").value = Search.kindOf($("search-text").value); }
  });
  $("search-kind").addEventListener("change", function () { kindChosen = true; });
  $("search-open").addEventListener("click", openSearch);
  $("search-close").addEventListener("click", closeSearch);
  $("search").addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !$("search-close").hidden) { closeSearch(); }
  });
  $("not-this").addEventListener("click", notThisCustomer);

  // Specific messages for what the agent can act on (or wait out): text,
  // reason (data-reason, for tests and styling), whether "Try again" helps,
  // and whether the page tries again by itself (the user map may change).
  var errorTexts = {
    "DCMConnect.AgentNotMapped": ["agent.notMapped", "not-mapped", true, true],
    "DCMConnect.UserMapNotReady": ["agent.userMapLoading", "user-map-loading", true, true],
    "DCMConnect.ServiceJourneyUnavailable": ["agent.sjDown", "sj-down", true, false],
    "DCMConnect.ConversationGone": ["agent.gone", "gone", false, false],
    "DCMConnect.NotParticipant": ["agent.notParticipant", "not-participant", false, false],
    "DCMConnect.GenesysUnavailable": ["agent.genesysDown", "genesys-down", true, false]
  };
  // The agent reads only the translated sentence; what the server said
  // (request id, technical line) waits in "Administrator details".
  var retryMs = Math.max(1, Number(DCM.params.retrySeconds) || 30) * 1000;
  var retryTimer = null;
  function showError(e) {
    var known = errorTexts[e && e.type];
    var ids = ["status-admin"];
    if (known) {
      setStatus(DCM.t(known[0]), known[1]);
      if (known[2]) { ids.push("status-actions"); }
    } else {
      setStatus(DCM.describeError(e), "error");
      if (!e || !e.status || e.status >= 500) { ids.push("status-actions"); }
    }
    DCM.adminDetails($("status-admin"), e);
    // The agent can still search when a system was down or the lookup
    // failed; not when the search would be refused too (not mapped, user
    // map loading) or there is no interaction of theirs to choose for.
    var reason = known ? known[1] : "error";
    if (reason === "sj-down" || reason === "genesys-down" || reason === "error") { ids.push(bar()); }
    showOnly(ids);
    clearTimeout(retryTimer);
    if (known && known[3]) { retryTimer = setTimeout(retry, retryMs); }
  }

  // ---- the interaction log ----
  // A failed log is tried again by itself (retrySeconds) until one goes
  // through. The agent hears of it in a toast too, since they are likely
  // looking at the call, not at this widget: once when it fails, once
  // when it is saved again (the same toast id, so one replaces the other).
  var logFailed = "";
  var lastEvent = ""; // the last event a log went through for
  var logDone = Promise.resolve(); // settles when the last log sent has answered
  var logRetryTimer = null;
  function log(event) {
    var params = { conversationId: conversationId, event: event };
    if (chosen.partyId) { params.partyId = chosen.partyId; }
    if (chosen.caseId) { params.caseId = chosen.caseId; }
    var badge = $("logstate");
    var sent = DCM.call("LogInteraction", params).then(function (res) {
      logged[event] = true;
      lastEvent = event;
      badge.className = "badge " + (res.agentMapped ? "pass" : "warn");
      badge.textContent = DCM.t(res.agentMapped ? "agent.log.saved" : "agent.log.unmapped");
      badge.removeAttribute("title");
      badge.setAttribute("data-event", event);
      badge.hidden = false;
      if (logFailed) {
        logFailed = "";
        clearTimeout(logRetryTimer);
        toast(DCM.t("agent.log.toastTitle"), DCM.t("agent.log.savedToast"), "success", "dcm-log");
      }
      return res;
    }).catch(function (e) {
      // A short badge: the header must not widen in a 400 px widget. Why
      // it failed is its tooltip, in the page's language.
      badge.className = "badge fail";
      badge.textContent = DCM.t("agent.log.notSaved");
      badge.title = DCM.describeError(e);
      badge.setAttribute("data-event", event);
      badge.hidden = false;
      if (!logFailed) {
        toast(DCM.t("agent.log.toastTitle"), DCM.t("agent.log.failedToast", { reason: DCM.describeError(e) }), "error", "dcm-log");
      }
      logFailed = event;
      clearTimeout(logRetryTimer);
      // Only what may pass later: a system down, an answer lost; not a refusal.
      if (!e || !e.status || e.status >= 500) {
        logRetryTimer = setTimeout(function () { if (logFailed) { log(logFailed); } }, retryMs);
      }
      return null;
    });
    logDone = sent;
    return sent;
  }

  // poll watches the agent's own leg with their token (GET conversation):
  // log disconnect when it ends and wrap-up once a code is there. If the
  // page is closed first, the interaction sync job logs it instead.
  function poll() {
    if (Date.now() > pollUntil || !DCM.token || !cfg.apiURL) { return; }
    fetch(cfg.apiURL + "/api/v2/conversations/" + encodeURIComponent(conversationId), {
      headers: { Authorization: "Bearer " + DCM.token, Accept: "application/json" }
    }).then(function (r) {
      if (r.status === 404 || r.status === 401 || r.status === 403) { return "stop"; }
      if (!r.ok) { return null; }
      return r.json().then(function (conv) { return check(conv); });
    }).catch(function () { return null; }).then(function (next) {
      if (next !== "stop") { setTimeout(poll, pollMs); }
    });
  }
  function check(conv) {
    var me = DCM.me && DCM.me.genesys && DCM.me.genesys.id;
    var mine = null;
    (conv.participants || []).forEach(function (p) { if (p.userId === me) { mine = p; } });
    if (!mine) { return "stop"; }
    var legs = [].concat(mine.calls || [], mine.chats || [], mine.emails || [], mine.messages || [], mine.callbacks || []);
    var ended = !!(mine.endTime || conv.endTime) || (legs.length > 0 && legs.every(function (l) {
      return l.state === "disconnected" || l.state === "terminated";
    }));
    var wrap = (mine.wrapup && mine.wrapup.code) || legs.some(function (l) { return l.wrapup && l.wrapup.code; });
    if (wrap) { return log("wrapup").then(function (res) { return res ? "stop" : null; }); }
    if (ended && !logged.disconnect) {
      return log("disconnect").then(function (res) { return res && !mine.wrapupRequired ? "stop" : null; });
    }
    return null;
  }

  // ---- toasts in the Genesys desktop ----
  // toast asks the desktop around the page for a toast through the
  // official Client App SDK (purecloud-client-app-sdk, alerting
  // showToastPopup: it posts {action: "showToast", title, message, type,
  // id, ...} to the gcHostOrigin window). An error toast must say
  // showCloseButton (it stays until closed); the others go after 7 s.
  var clientApp;
  function toast(title, message, type, id) {
    if (clientApp === undefined) {
      clientApp = null;
      var Ctor = window.purecloud && window.purecloud.apps && window.purecloud.apps.ClientApp;
      var host = DCM.param("gcHostOrigin"), env = DCM.param("gcTargetEnv"), pcEnv = DCM.param("pcEnvironment");
      // Only inside the Genesys desktop: elsewhere (a plain tab) there is no host to talk to.
      if (Ctor && window.parent !== window && ((host && env) || pcEnv)) {
        try {
          clientApp = host && env ? new Ctor({ gcHostOrigin: host, gcTargetEnv: env }) : new Ctor({ pcEnvironment: pcEnv });
        } catch (e) { clientApp = null; }
      }
    }
    if (!clientApp) { return; }
    try {
      clientApp.alerting.showToastPopup(title, message, {
        type: type, id: id, markdownMessage: false, showCloseButton: true, timeout: type === "error" ? 0 : 7
      });
    } catch (e) { /* a toast is a courtesy; the page says it too */ }
  }

  // ---- click-to-dial from the ServiceJourney page ----
  function notice(text, failed) {
    DCM.message($("notice"), text, failed ? "error" : "");
  }
  function dial(number, reply) {
    notice(DCM.t("agent.dial.calling", { number: number }));
    toast(DCM.t("agent.dial.title"), DCM.t("agent.dial.calling", { number: number }), "info", "dcm-dial");
    DCM.call("ClickToDial", { number: number }).then(function (res) {
      reply({ type: "dcm.dial.result", ok: true, conversationId: res.conversationId });
    }).catch(function (e) {
      var text = DCM.t("agent.dial.failed", { reason: DCM.describeError(e) });
      notice(text, true);
      toast(DCM.t("agent.dial.title"), text, "error", "dcm-dial");
      reply({ type: "dcm.dial.result", ok: false, error: e.code || e.message || String(e) });
    });
  }
  window.addEventListener("message", function (e) {
    // Only our ServiceJourney, only from the frame we opened.
    if (!sjOrigin || e.origin !== sjOrigin || e.source !== $("sj").contentWindow) { return; }
    var d = e.data;
    if (!d || typeof d !== "object") { return; }
    if (d.type === "dcm.record") { created(d); return; }
    if (d.type !== "dcm.dial" || typeof d.number !== "string" || !d.number.trim()) { return; }
    dial(d.number.trim(), function (msg) { e.source.postMessage(msg, e.origin); });
  });

  // created takes the record a ServiceJourney page says it created
  // ({type: "dcm.record", kind: "party" | "case", id}) as the chosen one, the
  // same way as a pick: the log and the transfer context name it.
  function created(d) {
    if ((d.kind !== "party" && d.kind !== "case") || typeof d.id !== "string" || !/^[\w.:-]{1,64}$/.test(d.id)) { return; }
    var ids = Search.ids({ kind: d.kind, id: d.id });
    if (ids.partyId === chosen.partyId && ids.caseId === chosen.caseId) { return; }
    chosen = ids;
    if (conversationId) { log("connect"); }
  }

  // ---- start ----
  function run() {
    showOnly([]);
    setStatus(DCM.t("agent.looking"));
    return DCM.call("ScreenPop", { conversationId: conversationId }).then(function (pop) {
      render(pop);
      return true;
    }).catch(function (e) {
      showError(e);
      return e.type !== "DCMConnect.ConversationGone" && e.type !== "DCMConnect.NotParticipant" && e.status !== 401;
    });
  }

  // retry looks the customer up again and, when the connect log did not go
  // through before, logs it now, so a stale "Not saved" clears on success.
  var mayLogNow = false;
  function retry() {
    clearTimeout(retryTimer);
    return run().then(function (mayLog) {
      if (!mayLog || logged.connect) { return; }
      var first = !mayLogNow;
      mayLogNow = true;
      return log("connect").then(function () { if (first) { setTimeout(poll, pollMs); } });
    });
  }
  $("retry").addEventListener("click", function () { retry(); });
  $("back").addEventListener("click", function () {
    $("sj").removeAttribute("src");
    if (opened === "search") {
      showSearchView();
      return;
    }
    showOnly(["picker", bar()]);
  });

  DCM.start().then(function () {
    if (!conversationId) {
      setStatus(DCM.t("agent.noConversation"));
      return;
    }
    return run().then(function (mayLog) {
      if (!mayLog) { return; }
      mayLogNow = true;
      return log("connect").then(function () { setTimeout(poll, pollMs); });
    });
  }).catch(function () { /* dcm.js already shows the reason */ });
})();
