// supervisor.js: the supervisor page. Start-up (config, sign-in, WhoAmI) is
// shared in dcm.js. Every supervisor method answers 403 to anyone else, and
// the page then shows "not allowed" instead of data.
//
// Tables page: the user map is filtered, sorted and paged here (GetUserMap
// sends it whole, once per sync); agents are paged by the server
// (GetAgentStatus), so 5,000 agents never become 5,000 DOM rows.
(function () {
  "use strict";
  var t = DCM.t;
  var PAGE = 25;
  var STATUSES = ["conflict", "unmatched", "email", "explicit", "ignored"];

  var $ = DCM.$, el = DCM.el, clear = DCM.clear, show = DCM.show;
  function num(n) { return DCMCore.formatNumber(n, DCM.lang); }
  function debounce(fn, ms) {
    var h;
    return function () { clearTimeout(h); h = setTimeout(fn, ms); };
  }

  // ---- time ----
  function when(iso) { return DCMCore.relativeTime(iso, Date.now(), DCM.lang); }
  function clock(iso) { return DCMCore.clockTime(iso, DCM.lang); }

  function statusBadge(status) {
    return el("span", { className: "badge " + status, "data-status": status, text: t("status." + status) });
  }
  function presenceLabel(p) {
    if (!p) { return t("presence.unknown"); }
    var key = "presence." + p.toLowerCase().replace(/[^a-z]/g, "");
    var s = t(key);
    return s === key ? p : s;
  }
  function routingLabel(r) {
    if (!r) { return ""; }
    var key = "routing." + r;
    var s = t(key);
    return s === key ? r : s;
  }
  function mediaLabel(m) {
    var key = "media." + m;
    var s = t(key);
    return s === key ? m : s;
  }

  // ---- access and errors ----
  var denied = false;
  function showDenied(e) {
    denied = true;
    stopRefresh();
    show($("content"), false);
    show($("intro"), false);
    show($("denied"), true);
    DCM.adminDetails($("denied-detail"), e);
    if ($("fix-dialog").open) { $("fix-dialog").close(); }
  }
  // failed reports a failed call in the place it belongs; 403 means the
  // caller is no supervisor (any more), which replaces the whole page.
  function failed(box, e) {
    if (e && e.status === 403) { showDenied(e); return; }
    if (e && e.status === 401) { DCM.setState("error", DCM.describeError(e)); stopRefresh(); }
    if (box) { DCM.message(box, DCM.describeError(e), "error"); }
  }
  // staleReason says why a refresh failed in the page's language (the
  // server's code), the English line only from a server too old to send one.
  function staleReason(d) { return d.staleCode ? t("msg." + d.staleCode, d.staleParams || {}) : d.stale; }
  function note(box, text, isError) { DCM.message(box, text, isError ? "error" : ""); }

  // ---- tabs ----
  function selectTab(name) {
    ["usermap", "agents", "activity"].forEach(function (n) {
      $("tab-" + n).setAttribute("aria-selected", String(n === name));
      show($("panel-" + n), n === name);
    });
  }
  ["usermap", "agents", "activity"].forEach(function (n) {
    $("tab-" + n).addEventListener("click", function () { selectTab(n); });
  });

  // ================= user map =================
  var um = { report: null, status: "", search: "", sort: "status", desc: false, page: 1, pinned: {} };

  function userKey(e) {
    var g = e.genesysUser || {}, s = e.serviceJourneyUser || {};
    return [g.id, g.name, g.email, g.username, s.id, s.code, s.login, s.name, s.email].join("\u0000").toLowerCase();
  }
  function loadUserMap() {
    return DCM.call("GetUserMap", {}).then(function (r) {
      r.entries.forEach(function (e) { e._key = userKey(e); });
      // One row per conflict group: the users who compete for one link.
      r.rows = DCMCore.conflictGroups(r.entries);
      r.rows.forEach(function (row) {
        if (row.group) { row._key = row.members.map(function (e) { return e._key; }).join("\u0000"); }
      });
      um.report = r;
      if ($("usermap-message").classList.contains("error")) { note($("usermap-message"), ""); } // a success note stays
      renderUserMap();
      return r;
    }).catch(function (e) {
      failed($("usermap-message"), e);
    });
  }
  function isPinned(e) {
    if (e.group) { return e.members.some(isPinned); }
    return (e.genesysUser && um.pinned["g:" + e.genesysUser.id]) || (e.serviceJourneyUser && um.pinned["s:" + e.serviceJourneyUser.id]);
  }
  function rank(status) { var i = STATUSES.indexOf(status); return i < 0 ? 9 : i; }
  function label(u) { return u.name || u.login || u.email || u.id; }
  function nameOf(u) { return u ? (u.name || u.login || u.email || u.id || "").toLowerCase() : "\uffff"; }
  function compareEntries(a, b) {
    var r = 0;
    if (um.sort === "genesys") { r = nameOf(a.genesysUser).localeCompare(nameOf(b.genesysUser)); }
    if (um.sort === "sj") { r = nameOf(a.serviceJourneyUser).localeCompare(nameOf(b.serviceJourneyUser)); }
    if (um.sort === "status" || r === 0) { r = r || rank(a.status) - rank(b.status); }
    if (r === 0) { r = nameOf(a.genesysUser || a.serviceJourneyUser).localeCompare(nameOf(b.genesysUser || b.serviceJourneyUser)); }
    return um.desc ? -r : r;
  }

  function renderUserMap() {
    var r = um.report;
    if (!r) { return; }
    renderCounts(r);
    var q = um.search.trim().toLowerCase();
    var rows = r.rows.filter(function (e) {
      return isPinned(e) || ((!um.status || e.status === um.status) && (!q || e._key.indexOf(q) >= 0));
    });
    rows.sort(compareEntries);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    um.page = Math.min(Math.max(1, um.page), pages);
    var slice = rows.slice((um.page - 1) * PAGE, um.page * PAGE);
    var tbody = $("usermap-table").tBodies[0];
    clear(tbody);
    slice.forEach(function (e) { tbody.appendChild(userRow(e)); });
    if (!slice.length) {
      tbody.appendChild(el("tr", {}, [el("td", { colspan: "5", className: "empty", text: t("sup.usermap.none") })]));
    }
    $("usermap-matched").textContent = t("sup.showing", {
      from: num(rows.length ? (um.page - 1) * PAGE + 1 : 0), to: num((um.page - 1) * PAGE + slice.length), total: num(rows.length)
    });
    pager($("usermap-pager"), um.page, pages, function (p) { um.page = p; renderUserMap(); });
    sortMarks($("usermap-table"), um.sort, um.desc);
  }

  function renderCounts(r) {
    var box = $("usermap-counts");
    clear(box);
    STATUSES.forEach(function (s) {
      var b = el("button", { type: "button", className: "card", "data-status": s, "aria-pressed": String(um.status === s) }, [
        el("div", { className: "label" }, [statusBadge(s)]),
        el("div", { className: "n", text: num(r.counts[s]) }),
        el("div", { className: "sub", text: t("sup.counts.sides", { g: num(r.genesysCounts[s]), sj: num(r.serviceJourneyCounts[s]) }) })
      ]);
      b.addEventListener("click", function () { setUserStatusFilter(um.status === s ? "" : s); });
      box.appendChild(b);
    });
    // What needs a person, as the server counts it: conflict groups (one
    // row each), not the users in them, plus the unmatched entries.
    var groups = r.conflictGroups != null ? r.conflictGroups : (r.counts.conflict || 0);
    var attention = r.toFix != null ? r.toFix : groups + (r.counts.unmatched || 0);
    var card = $("sum-attention");
    card.setAttribute("data-state", attention ? "warn" : "ok");
    card.querySelector(".n").textContent = num(attention);
    card.querySelector(".sub").textContent = card.querySelector(".sub").title = t("sup.sum.attentionSub", { c: num(groups), u: num(r.counts.unmatched) });
  }

  function userCell(u, sj) {
    if (!u) { return el("td", { className: "empty", text: "—" }); }
    var sub = sj ? [u.login, u.email].filter(Boolean).join(" · ") : (u.email || u.username || "");
    if (sj && u.status && !/^active$/i.test(u.status)) { sub += " · " + u.status; }
    return el("td", {}, [u.name || u.id, el("br"), el("span", { className: "muted", text: sub })]);
  }
  // reasonText says the server's reason code in the page's language; the
  // English sentence is only for a server too old to send a code.
  function reasonText(e) {
    if (!e.reasonCode) { return e.reason || ""; }
    var p = e.reasonParams || {};
    var s = t("reason." + e.reasonCode, p);
    // Optional tails: other users who share the e-mail.
    if (e.reasonCode === "g.dupSJEmail" && p.genesysUsers) { s += " " + t("reason.g.dupSJEmail.also", p); }
    if (e.reasonCode === "s.noGenesys" && p.sjUsers) { s += " " + t("reason.s.noGenesys.also", p); }
    return s;
  }
  // groupRow is one conflict group: every user of each side, the reason and
  // the fix of the user who speaks for the group; each ServiceJourney user
  // who needs no Genesys user can be ignored on their own.
  function groupRow(grp) {
    var p = grp.primary;
    var attrs = { "data-status": "conflict", "data-group": String(grp.members.length),
      "data-genesys-ids": grp.genesysUsers.map(function (u) { return u.id; }).join(" "),
      "data-sj-ids": grp.serviceJourneyUsers.map(function (u) { return u.id; }).join(" ") };
    if (grp.genesysUser) { attrs["data-genesys"] = grp.genesysUser.id; }
    if (grp.serviceJourneyUser) { attrs["data-sj"] = grp.serviceJourneyUser.id; }
    if (isPinned(grp)) { attrs.className = "pinned"; }
    function users(list, sj) {
      if (!list.length) { return el("td", { className: "empty", text: "—" }); }
      return el("td", {}, [el("ul", { className: "members" }, list.map(function (u) {
        var item = userCell(u, sj);
        var li = el("li", { "data-id": u.id }, Array.prototype.slice.call(item.childNodes));
        if (sj) {
          var ig = el("button", { type: "button", className: "ignore small", title: t("sup.ignore.title"), text: t("sup.ignore.button") });
          ig.addEventListener("click", function () { setIgnored({ serviceJourneyUser: u }, true, ig); });
          li.appendChild(ig);
        }
        return li;
      }))]);
    }
    var reason = el("td", {}, [
      el("span", { className: "kind", text: t("conflict." + p.conflictKind) + " · " + t("sup.group.size", { n: num(grp.members.length) }) }),
      reasonText(p)
    ]);
    var b = el("button", { type: "button", className: "fix", text: t("sup.fix.button") });
    b.addEventListener("click", function () { openFix(p); });
    return el("tr", attrs, [el("td", {}, [statusBadge("conflict")]), users(grp.genesysUsers, false), users(grp.serviceJourneyUsers, true), reason,
      el("td", { className: "action" }, [b])]);
  }
  function userRow(e) {
    if (e.group) { return groupRow(e); }
    var attrs = { "data-status": e.status };
    if (e.genesysUser) { attrs["data-genesys"] = e.genesysUser.id; }
    if (e.serviceJourneyUser) { attrs["data-sj"] = e.serviceJourneyUser.id; }
    if (isPinned(e)) { attrs.className = "pinned"; }
    var reason = el("td", {}, [
      e.conflictKind ? el("span", { className: "kind", text: t("conflict." + e.conflictKind) }) : null,
      reasonText(e)
    ]);
    var action = el("td", { className: "action" });
    if (e.status === "unmatched" || e.status === "conflict") {
      var b = el("button", { type: "button", className: "fix", text: t("sup.fix.button") });
      b.addEventListener("click", function () { openFix(e); });
      action.appendChild(b);
      // A ServiceJourney user nobody in Genesys Cloud needs can be ignored.
      if (e.serviceJourneyUser && !e.genesysUser) {
        var ig = el("button", { type: "button", className: "ignore", title: t("sup.ignore.title"), text: t("sup.ignore.button") });
        ig.addEventListener("click", function () { setIgnored(e, true, ig); });
        action.appendChild(ig);
      }
    }
    // An explicit link can be cleared; the Genesys user loses it, so the
    // page asks first (the server refuses without the confirmation too).
    if (e.status === "explicit" && e.serviceJourneyUser && e.genesysUser) {
      if (um.clearAsk && um.clearAsk.sj === e.serviceJourneyUser.id) {
        action.appendChild(clearConfirm(e));
      } else {
        var cl = el("button", { type: "button", className: "clear-link", title: t("sup.clear.title"), text: t("sup.clear.button") });
        cl.addEventListener("click", function () {
          um.clearAsk = { sj: e.serviceJourneyUser.id, ids: [e.genesysUser.id],
            text: t("sup.clear.ask", { g: label(e.genesysUser), sj: label(e.serviceJourneyUser) }) };
          renderUserMap();
          var yes = document.querySelector("#usermap-table .clear-yes");
          if (yes) { yes.focus(); }
        });
        action.appendChild(cl);
      }
    }
    if (e.status === "ignored") {
      var un = el("button", { type: "button", className: "unignore", text: t("sup.ignore.undo") });
      un.addEventListener("click", function () { setIgnored(e, false, un); });
      action.appendChild(un);
    }
    return el("tr", attrs, [el("td", {}, [statusBadge(e.status)]), userCell(e.genesysUser, false), userCell(e.serviceJourneyUser, true), reason, action]);
  }

  // clearConfirm is the second step of clearing a link: who loses it, and
  // the buttons that clear it or keep it.
  function clearConfirm(e) {
    var ask = um.clearAsk;
    var yes = el("button", { type: "button", className: "clear-yes danger", text: t("sup.clear.ok") });
    var no = el("button", { type: "button", className: "clear-no", text: t("sup.fix.cancel") });
    no.addEventListener("click", function () { um.clearAsk = null; renderUserMap(); });
    yes.addEventListener("click", function () {
      yes.disabled = no.disabled = true;
      var sj = e.serviceJourneyUser;
      DCM.call("SetUserMapping", { serviceJourneyUserId: sj.id, genesysUserId: "", confirmTakeOver: ask.ids }).then(function (entry) {
        um.clearAsk = null;
        um.pinned["s:" + sj.id] = true;
        note($("usermap-message"), t("sup.clear.done", { sj: label(sj), status: t("status." + (entry && entry.status || "unmatched")) }));
        return Promise.all([loadUserMap(), loadAgents()]);
      }).catch(function (err) {
        if (err.status === 403) { showDenied(err); return; }
        if (err.code === "clearLink" || err.code === "takeOver") {
          // The map changed since: ask again, naming who loses it now.
          um.clearAsk = { sj: sj.id, ids: String(err.params.genesysUserIds || "").split(",").filter(Boolean), text: DCM.describeError(err) };
          return loadUserMap();
        }
        um.clearAsk = null;
        failed($("usermap-message"), err);
        renderUserMap();
      });
    });
    return el("div", { className: "clear-confirm", role: "alert" }, [el("p", { text: ask.text }), yes, " ", no]);
  }

  // setIgnored marks a ServiceJourney user as needing no Genesys user, or
  // undoes that; the mark is kept in ServiceJourney, like a link.
  function setIgnored(e, ignore, button) {
    var sj = e.serviceJourneyUser;
    button.disabled = true;
    DCM.call("IgnoreServiceJourneyUser", { serviceJourneyUserId: sj.id, ignore: ignore }).then(function (entry) {
      um.pinned["s:" + sj.id] = true;
      note($("usermap-message"), ignore ? t("sup.ignore.done", { sj: label(sj) })
        : t("sup.ignore.undone", { sj: label(sj), status: t("status." + (entry && entry.status || "unmatched")) }));
      return Promise.all([loadUserMap(), loadAgents()]);
    }).catch(function (err) {
      button.disabled = false;
      failed($("usermap-message"), err);
    });
  }

  function setUserStatusFilter(s) {
    um.status = s;
    um.page = 1;
    um.pinned = {};
    $("usermap-status").value = s;
    renderUserMap();
  }
  $("usermap-status").addEventListener("change", function () { setUserStatusFilter(this.value); });
  $("usermap-search").addEventListener("input", debounce(function () {
    um.search = $("usermap-search").value;
    um.page = 1;
    um.pinned = {};
    renderUserMap();
  }, 120));
  sortable($("usermap-table"), function () { return um; }, renderUserMap);

  // ---- the fix: an explicit mapping, after confirmation ----
  var fix = null;
  function candidateList(entry) {
    // The fix sets PureCloud_UserId on a ServiceJourney user, so when the
    // row has one we choose the Genesys user; otherwise the other way round.
    var wantGenesys = !!entry.serviceJourneyUser;
    var related = {};
    ((wantGenesys ? entry.relatedGenesysUserIds : entry.relatedServiceJourneyUserIds) || []).forEach(function (id) { related[id] = true; });
    var seen = {}, out = [];
    um.report.entries.forEach(function (e) {
      var u = wantGenesys ? e.genesysUser : e.serviceJourneyUser;
      if (!u || seen[u.id] || e === entry) { return; }
      seen[u.id] = true;
      var other = wantGenesys ? e.serviceJourneyUser : e.genesysUser;
      out.push({ user: u, status: e.status, score: related[u.id] ? 0 : (other ? 2 : 1),
        key: [u.id, u.name, u.email, u.login, u.username, u.code].join("\u0000").toLowerCase() });
    });
    out.sort(function (a, b) { return a.score - b.score || nameOf(a.user).localeCompare(nameOf(b.user)); });
    return { wantGenesys: wantGenesys, items: out };
  }
  function openFix(entry) {
    var c = candidateList(entry);
    fix = { entry: entry, wantGenesys: c.wantGenesys, items: c.items, chosen: null };
    var u = entry.serviceJourneyUser || entry.genesysUser;
    $("fix-user").textContent = entry.serviceJourneyUser
      ? t("sup.fix.forSJ", { name: u.name || u.id, login: u.login || u.email || u.id })
      : t("sup.fix.forGenesys", { name: u.name || u.id, email: u.email || u.username || u.id });
    $("fix-choose").textContent = t(c.wantGenesys ? "sup.fix.chooseGenesys" : "sup.fix.chooseSJ");
    $("fix-search").value = "";
    $("fix-search").setAttribute("placeholder", t("sup.fix.search"));
    show($("fix-error"), false);
    renderCandidates();
    $("fix-dialog").showModal();
    $("fix-search").focus();
  }
  function renderCandidates() {
    var q = $("fix-search").value.trim().toLowerCase();
    var list = $("fix-candidates");
    clear(list);
    var shown = 0, more = 0;
    fix.items.forEach(function (c) {
      if (q && c.key.indexOf(q) < 0) { return; }
      if (shown >= 50) { more++; return; }
      shown++;
      var u = c.user;
      var detail = [u.email || u.username, u.login].filter(Boolean).join(" · ");
      var b = el("button", { type: "button", "data-id": u.id, "aria-pressed": String(!!fix.chosen && fix.chosen.id === u.id) }, [
        u.name || u.id, " ", statusBadge(c.status), el("br"), el("span", { className: "muted", text: detail })
      ]);
      b.addEventListener("click", function () { choose(u); });
      list.appendChild(el("li", {}, [b]));
    });
    if (!shown) { list.appendChild(el("li", { className: "note", text: t("sup.fix.noCandidates") })); }
    if (more) { list.appendChild(el("li", { className: "note", text: t("sup.fix.more", { n: num(more) }) })); }
  }
  function choose(u) {
    fix.chosen = u;
    var sj = fix.wantGenesys ? fix.entry.serviceJourneyUser : u;
    var g = fix.wantGenesys ? u : fix.entry.genesysUser;
    fix.sj = sj;
    fix.g = g;
    note($("fix-summary"), t("sup.fix.summary", { sj: sj.name || sj.id, g: g.name || g.id, id: g.id }));
    fix.losers = takenOver(sj, g);
    fix.confirmed = false;
    show($("fix-takeover"), false);
    $("fix-ok").textContent = t("sup.fix.ok");
    $("fix-ok").disabled = false;
    renderCandidates();
  }

  // takenOver lists the links the fix would take from someone (as the
  // server checks them too): the Genesys user the chosen ServiceJourney user
  // serves now, explicitly or by e-mail, and
  // the ServiceJourney user that now names the chosen Genesys user (it would
  // then share the id, a conflict that locks the Genesys user out).
  function takenOver(sj, g) {
    var out = { text: [], ids: [] };
    um.report.entries.forEach(function (e) {
      if (!e.genesysUser || !e.serviceJourneyUser) { return; }
      if (e.serviceJourneyUser.id === sj.id && e.genesysUser.id !== g.id && (e.status === "explicit" || e.status === "email")) {
        out.text.push(t("sup.fix.losesSJ", { g: label(e.genesysUser), sj: label(sj) }));
        out.ids.push(e.genesysUser.id);
      }
      if (e.status === "explicit" && e.genesysUser.id === g.id && e.serviceJourneyUser.id !== sj.id) {
        out.text.push(t("sup.fix.losesG", { g: label(g), sj: label(e.serviceJourneyUser) }));
        out.ids.push(g.id);
      }
    });
    return out;
  }
  function closeFix() {
    if ($("fix-dialog").open) { $("fix-dialog").close(); }
    fix = null;
    $("fix-ok").disabled = true;
    show($("fix-summary"), false);
    show($("fix-takeover"), false);
  }
  $("fix-search").addEventListener("input", function () { if (fix) { renderCandidates(); } });
  $("fix-cancel").addEventListener("click", closeFix);
  $("fix-dialog").addEventListener("close", function () { fix = null; $("fix-ok").disabled = true; show($("fix-summary"), false); });
  // askTakeOver shows who loses a link and turns the button into the
  // second confirmation; ids are what the server is told was agreed to.
  function askTakeOver(text, ids) {
    fix.confirmed = ids;
    note($("fix-takeover"), text + " " + t("sup.fix.takeoverAsk"));
    $("fix-ok").textContent = t("sup.fix.takeoverOk");
    $("fix-ok").disabled = false;
  }
  $("fix-ok").addEventListener("click", function () {
    if (!fix || !fix.chosen) { return; }
    // Taking a link away from someone asks once more, naming who loses it.
    if (fix.losers.ids.length && !fix.confirmed) {
      askTakeOver(fix.losers.text.join(" "), fix.losers.ids);
      return;
    }
    var f = fix;
    $("fix-ok").disabled = true;
    var params = { serviceJourneyUserId: f.sj.id, genesysUserId: f.g.id };
    if (f.confirmed) { params.confirmTakeOver = f.confirmed; }
    DCM.call("SetUserMapping", params).then(function (entry) {
      um.pinned["s:" + f.sj.id] = true;
      um.pinned["g:" + f.g.id] = true;
      closeFix();
      note($("usermap-message"), t("sup.fix.saved", { sj: f.sj.name || f.sj.id, g: f.g.name || f.g.id, status: t("status." + (entry && entry.status || "explicit")) }));
      // The Agents tab joins the same map: read both again now.
      return Promise.all([loadUserMap(), loadAgents()]);
    }).catch(function (e) {
      if (e.status === 403) { showDenied(e); return; }
      if (fix !== f) { return; }
      if (e.code === "takeOver") {
        // The map changed since the page read it: the server names who
        // loses a link now, and the confirmation covers exactly them.
        show($("fix-error"), false);
        askTakeOver(DCM.describeError(e), String(e.params.genesysUserIds || "").split(",").filter(Boolean));
        return loadUserMap();
      }
      $("fix-ok").disabled = false;
      note($("fix-error"), DCM.describeError(e), true);
    });
  });

  // ================= agents =================
  var ag = { search: "", presence: "", mapping: "", sort: "name", desc: false, page: 1, last: null, seq: 0 };

  function loadAgents() {
    var seq = ++ag.seq;
    return DCM.call("GetAgentStatus", {
      search: ag.search, presence: ag.presence, mapping: ag.mapping,
      sort: (ag.desc ? "-" : "") + ag.sort, page: ag.page, pageSize: PAGE
    }).then(function (d) {
      if (seq !== ag.seq) { return; } // a newer request (filter change) answers instead
      ag.last = d;
      renderAgents(d);
      refreshMs = Math.max(1, d.refreshSeconds || 30) * 1000;
    }).catch(function (e) { failed($("agents-message"), e); });
  }
  function renderAgents(d) {
    note($("agents-message"), d.stale ? t("sup.stale", { time: clock(d.asOf), reason: staleReason(d) }) : "", !!d.stale);
    // Presence chips and the presence filter list every presence seen.
    var chips = $("agents-presence");
    clear(chips);
    var sel = $("agents-presence-filter");
    var keep = ag.presence;
    while (sel.options.length > 1) { sel.remove(1); }
    Object.keys(d.presenceCounts).sort(function (a, b) { return d.presenceCounts[b] - d.presenceCounts[a] || a.localeCompare(b); }).forEach(function (p) {
      var b = el("button", { type: "button", "data-presence": p, "aria-pressed": String(ag.presence === p) }, [presenceLabel(p) + " " + num(d.presenceCounts[p])]);
      b.addEventListener("click", function () { setAgentFilter("presence", ag.presence === p ? "" : p); });
      chips.appendChild(b);
      sel.appendChild(el("option", { value: p, text: presenceLabel(p) }));
    });
    sel.value = keep;
    var tbody = $("agents-table").tBodies[0];
    clear(tbody);
    d.agents.forEach(function (a) {
      var sj = a.mapping
        ? el("td", {}, [statusBadge(a.mapping), " ", a.serviceJourneyUserName || ""])
        : el("td", { className: "empty", text: "—" });
      tbody.appendChild(el("tr", { "data-id": a.id }, [
        el("td", {}, [a.name || a.id, el("br"), el("span", { className: "muted", text: a.email || "" })]),
        el("td", {}, [el("span", { className: "badge presence", "data-presence": a.presence || "", text: presenceLabel(a.presence) })]),
        el("td", { title: a.presenceSince ? new Date(a.presenceSince).toLocaleString(DCM.lang) : "", text: when(a.presenceSince) }),
        el("td", { text: routingLabel(a.routingStatus) }),
        sj
      ]));
    });
    if (!d.agents.length) {
      tbody.appendChild(el("tr", {}, [el("td", { colspan: "5", className: "empty", text: t("sup.agents.none") })]));
    }
    var from = d.matched ? (d.page - 1) * d.pageSize + 1 : 0;
    $("agents-matched").textContent = t("sup.showing", { from: num(from), to: num(from ? from + d.agents.length - 1 : 0), total: num(d.matched) }) +
      (d.matched !== d.total ? " " + t("sup.ofAll", { total: num(d.total) }) : "");
    pager($("agents-pager"), d.page, d.pageCount, function (p) { ag.page = p; loadAgents(); });
    sortMarks($("agents-table"), ag.sort, ag.desc);
    var onQueue = d.presenceCounts["On Queue"] || 0;
    var card = $("sum-agents");
    card.querySelector(".n").textContent = num(onQueue);
    card.querySelector(".sub").textContent = t("sup.sum.agentsSub", { total: num(d.total), time: clock(d.asOf) });
  }
  function setAgentFilter(k, v) {
    ag[k] = v;
    ag.page = 1;
    if (k === "presence") { $("agents-presence-filter").value = v; }
    loadAgents();
  }
  $("agents-presence-filter").addEventListener("change", function () { setAgentFilter("presence", this.value); });
  $("agents-mapping-filter").addEventListener("change", function () { setAgentFilter("mapping", this.value); });
  $("agents-search").addEventListener("input", debounce(function () { setAgentFilter("search", $("agents-search").value.trim()); }, 250));
  sortable($("agents-table"), function () { return ag; }, function () { ag.page = 1; loadAgents(); });

  // ================= interactions, jobs, upstreams =================
  function loadInteractions() {
    return DCM.call("GetInteractionSummary", { utcOffsetMinutes: 0 - new Date().getTimezoneOffset() }).then(function (d) {
      note($("interactions-message"), d.stale ? t("sup.stale", { time: clock(d.asOf), reason: staleReason(d) }) : "", !!d.stale);
      $("interactions-total").textContent = num(d.total);
      var logged = "";
      if (d.logged != null) { logged = t("sup.interactions.logged", { logged: num(d.logged), total: num(d.total) }); }
      if (d.loggedError) { logged = t("sup.interactions.notCounted"); }
      $("interactions-logged").textContent = [t("sup.interactions.since", { time: new Date(d.from).toLocaleString(DCM.lang) }), logged].filter(Boolean).join(" · ");
      if (d.loggedError) { $("interactions-logged").appendChild(technical(d.loggedError)); }
      countRows($("interactions-queues"), d.byQueue, function (c) { return c.id ? c.name : t("sup.interactions.noQueue"); });
      countRows($("interactions-media"), d.byMediaType, function (c) { return mediaLabel(c.name); });
      var card = $("sum-interactions");
      card.querySelector(".n").textContent = num(d.total);
      card.querySelector(".sub").textContent = d.logged != null ? logged : (d.byMediaType || []).map(function (c) { return mediaLabel(c.name) + " " + num(c.count); }).join(", ");
    }).catch(function (e) { failed($("interactions-message"), e); });
  }
  function countRows(table, counts, label) {
    var tbody = table.tBodies[0];
    clear(tbody);
    (counts || []).forEach(function (c) {
      tbody.appendChild(el("tr", {}, [el("td", { text: label(c) }), el("td", { className: "num", text: num(c.count) })]));
    });
    if (!(counts || []).length) { tbody.appendChild(el("tr", {}, [el("td", { colspan: "2", className: "empty", text: t("sup.interactions.none") })])); }
  }

  var usersJobEnd = null;
  function loadSync() {
    return DCM.call("GetSyncStatus", {}).then(function (d) {
      renderSync(d);
      return d;
    });
  }
  function renderSync(d) {
    var ups = $("upstreams").tBodies[0];
    clear(ups);
    d.upstreams.forEach(function (u) {
      ups.appendChild(el("tr", { "data-upstream": u.name }, [
        el("td", { text: upstreamName(u.name) }),
        el("td", {}, [el("span", { className: "badge " + (u.ok ? "ok" : "failed"), text: t(u.ok ? "sup.up.ok" : "sup.up.fail") })]),
        u.ok ? el("td", { className: "muted", text: t("sup.up.checked", { time: clock(u.checkedAt) }) })
          : el("td", { className: "failure" }, [t("sup.up.failText", { system: upstreamName(u.name), time: clock(u.checkedAt) }), technical(u.error, "up:" + u.name)])
      ]));
      var card = u.name === "Genesys Cloud" ? $("sum-genesys") : u.name === "ServiceJourney" ? $("sum-sj") : null;
      if (card) {
        card.setAttribute("data-state", u.ok ? "ok" : "fail");
        card.querySelector(".n").textContent = t(u.ok ? "sup.up.ok" : "sup.up.fail");
        card.querySelector(".sub").textContent = t(u.ok ? "sup.up.checked" : "sup.up.failedAt", { time: clock(u.checkedAt) });
      }
    });
    var jobs = $("jobs").tBodies[0];
    clear(jobs);
    var failedJobs = 0;
    d.jobs.forEach(function (j) {
      if (j.outcome === "failed") { failedJobs++; }
      var last = j.lastEnd || j.lastStart;
      jobs.appendChild(el("tr", { "data-job": j.name }, [
        el("td", {}, [jobName(j.name)]),
        el("td", {}, [el("span", { className: "badge " + j.outcome, "data-outcome": j.outcome, text: t("outcome." + j.outcome) })]),
        el("td", { title: last ? new Date(last).toLocaleString(DCM.lang) : "", text: last ? when(last) : "—" }),
        el("td", { title: j.nextRun ? new Date(j.nextRun).toLocaleString(DCM.lang) : "", text: j.nextRun ? when(j.nextRun) : "—" })
      ]));
      var det = jobDetails(j);
      if (det) { jobs.appendChild(el("tr", { className: "job-details", "data-job-details": j.name }, [el("td", { colspan: "4" }, [det])])); }
      if (j.name === "users") {
        // A user sync finished since we looked: a new map is in service.
        if (usersJobEnd !== null && (j.lastEnd || "") !== usersJobEnd && um.report) { loadUserMap(); }
        usersJobEnd = j.lastEnd || "";
      }
    });
    if (!d.jobs.length) { jobs.appendChild(el("tr", {}, [el("td", { colspan: "4", className: "empty", text: t("sup.jobs.none") })])); }
    var card = $("sum-jobs");
    card.setAttribute("data-state", failedJobs ? "fail" : "ok");
    card.querySelector(".n").textContent = failedJobs ? t("sup.jobs.failed", { n: num(failedJobs) }) : t("sup.jobs.allOK");
    card.querySelector(".sub").textContent = card.querySelector(".sub").title = d.jobs.map(function (j) { return jobName(j.name) + ": " + t("outcome." + j.outcome); }).join(", ");
    $("updated").textContent = t("sup.updated", { time: clock(d.now) });
  }
  function upstreamName(n) {
    var key = "upstream." + n.replace(/[^A-Za-z]/g, "");
    var s = t(key);
    return s === key ? n : s;
  }
  function jobName(n) {
    var key = "job." + n;
    var s = t(key);
    return s === key ? n : s;
  }
  // technical is a closed "administrator details" disclosure holding an
  // English line from the server (an error): people read the sentence in
  // their language, the administrator finds the cause here.
  // key keeps a disclosure open across the page's redraws once opened.
  var openAdmin = {};
  function technical(line, key) {
    var d = el("details", { className: "admin" });
    DCM.adminDetails(d, { message: line });
    if (key) {
      d.open = !!openAdmin[key];
      d.addEventListener("toggle", function () { openAdmin[key] = d.open; });
    }
    return d;
  }
  function li(text, cls) { return el("li", { className: cls || "", text: text }); }
  function secs(v) { return t("sup.jobs.took", { s: Number(v || 0).toLocaleString(DCM.lang, { maximumFractionDigits: v < 10 ? 1 : 0 }) }); }
  // countsLine says a map's counts per status ("3 conflicts, 2 unmatched, …").
  function countsLine(c) {
    return STATUSES.filter(function (s) { return s !== "ignored" || c[s]; }).map(function (s) {
      return t("sup.jobs.count", { n: num(c[s]), status: t("status." + s) });
    }).join(", ");
  }
  // jobDetails says what a job's last run did, in the page's language: the
  // user sync and interaction sync by their own fields, the event listener
  // by its state; any other job's numbers by name. Errors are a sentence,
  // their English line sits in administrator details.
  function jobDetails(j) {
    var items = [], last = (j.details || {}).last, d = j.details || {};
    if (j.lastError) {
      items.push(li(t("sup.jobs.failedAt", { time: when(j.lastEnd || j.lastStart) }), "failure"));
      items.push(el("li", { className: "admin-item" }, [technical(j.lastError, "job:" + j.name)]));
    }
    if (j.outcome === "failed" && j.lastSuccess) { items.push(li(t("sup.jobs.lastSuccess", { time: when(j.lastSuccess) }))); }
    if (j.name === "users" && last && last.ok === false && !last.mapUpdated) {
      items.push(li(t("sup.jobs.users.kept")));
    } else if (j.name === "users" && last) {
      items.push(li(t("sup.jobs.users.read", { g: num(last.genesysUsers), sj: num(last.serviceJourneyUsers) }) + " · " + secs(last.durationSeconds)));
      if (last.counts) { items.push(li(countsLine(last.counts))); }
      if (last.ignored) { items.push(li(t("sup.jobs.users.skipped", { n: num(last.ignored) }))); }
      if (last.writeBack) { items.push(li(t("sup.jobs.users.written", { n: num(last.written) }))); }
      if (last.error && last.error !== j.lastError) { items.push(el("li", { className: "admin-item" }, [technical(last.error)])); }
    } else if (j.name === "interactions" && last) {
      if (last.from && last.to) {
        items.push(li(t("sup.jobs.ix.window", { from: new Date(last.from).toLocaleString(DCM.lang), to: new Date(last.to).toLocaleString(DCM.lang) }) + " · " + secs(last.durationSeconds)));
      }
      items.push(li(t("sup.jobs.ix.looked", { n: num(last.conversations), final: num(last.final), wrapup: num(last.awaitingWrapup), open: num(last.open), unchanged: num(last.unchanged) })));
      [["failed", "failure"], ["unmappedAgents", "warn"], ["dropped", "warn"], ["stuckOpen", ""], ["late", ""], ["pending", ""]].forEach(function (f) {
        if (last[f[0]]) { items.push(li(t("sup.jobs.ix." + f[0], { n: num(last[f[0]]) }), f[1])); }
      });
      if (last.more) { items.push(li(t("sup.jobs.ix.more"))); }
      if (last.watermark) { items.push(li(t("sup.jobs.ix.watermark", { time: new Date(last.watermark).toLocaleString(DCM.lang) }))); }
      if (last.stateSaved === false && last.windows) { items.push(li(t("sup.jobs.ix.notSaved"), "warn")); }
      if (last.error && last.error !== j.lastError) { items.push(el("li", { className: "admin-item" }, [technical(last.error)])); }
    } else if (j.name === "events") {
      items.push(li(d.leading ? t("sup.jobs.ev.leading") : d.leader ? t("sup.jobs.ev.other", { leader: d.leader }) : t("sup.jobs.ev.standby")));
      if (d.leading) {
        items.push(li(t("sup.jobs.ev.channels", { up: num(d.channelsConnected), n: num(d.channels), topics: num(d.topics) })));
        items.push(li(d.lastEvent ? t("sup.jobs.ev.lastEvent", { time: when(d.lastEvent) }) : t("sup.jobs.ev.noEvent")));
        if (d.reconnects) { items.push(li(t("sup.jobs.ev.reconnects", { n: num(d.reconnects) }), "warn")); }
        if (d.backfilled) { items.push(li(t("sup.jobs.ev.backfilled", { n: num(d.backfilled), time: when(d.lastBackfill) }))); }
      }
    } else {
      Object.keys(d).sort().forEach(function (k) {
        var v = d[k];
        if (typeof v === "number") { items.push(li(k + ": " + num(v))); }
        if (typeof v === "string" && v) { items.push(li(k + ": " + v)); }
      });
    }
    return items.length ? el("ul", { className: "details" }, items) : null;
  }

  // ---- shared table bits ----
  function pager(box, page, pages, go) {
    clear(box);
    var prev = el("button", { type: "button", className: "prev", text: "‹ " + t("sup.prev") });
    var next = el("button", { type: "button", className: "next", text: t("sup.next") + " ›" });
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    box.appendChild(prev);
    box.appendChild(el("span", { className: "page", text: t("sup.page", { page: num(page), pages: num(pages) }) }));
    box.appendChild(next);
  }
  function sortable(table, st, redraw) {
    table.tHead.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.tabIndex = 0;
      var go = function () {
        var s = st(), key = th.getAttribute("data-sort");
        s.desc = s.sort === key ? !s.desc : false;
        s.sort = key;
        s.page = 1;
        redraw();
      };
      th.addEventListener("click", go);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
  }
  function sortMarks(table, key, desc) {
    table.tHead.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.getAttribute("data-sort") === key) { th.setAttribute("aria-sort", desc ? "descending" : "ascending"); } else { th.removeAttribute("aria-sort"); }
    });
  }

  // ================= refresh while the page is open =================
  var refreshMs = 30000, timer = null, running = false;
  function tick() {
    timer = null;
    if (denied) { return; }
    if (document.hidden) { return; } // resumes on visibilitychange
    running = true;
    Promise.all([
      loadSync().catch(function (e) {
        failed(null, e);
        $("updated").textContent = t("sup.refreshFailed", { reason: DCM.describeError(e) });
      }),
      loadAgents(),
      loadInteractions(),
      um.report ? null : loadUserMap() // no map yet (first sync pending, or it failed): try again
    ]).then(function () {
      running = false;
      schedule();
    });
  }
  function schedule() {
    if (!denied && !timer) { timer = setTimeout(tick, refreshMs); }
  }
  function stopRefresh() {
    if (timer) { clearTimeout(timer); timer = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !running && !denied) { stopRefresh(); tick(); }
  });

  // ================= start =================
  // GetSyncStatus goes first: it is cheap and tells whether we may see anything.
  function begin() {
    loadSync().then(function () {
      if (DCM.me && DCM.me.genesys) { DCM.setState("connected", t("state.connected", { name: DCM.me.genesys.name })); }
      show($("content"), true);
      running = true;
      return Promise.all([loadUserMap(), loadAgents(), loadInteractions()]).then(function () {
        running = false;
        schedule();
      });
    }).catch(function (e) {
      if (e && e.status === 403) { showDenied(e); return; }
      DCM.setState("error", DCM.describeError(e));
      if (!e || e.status !== 401) { setTimeout(begin, refreshMs); }
    });
  }
  DCM.start().then(begin, function () { /* dcm.js already shows the reason in the header */ });
})();
