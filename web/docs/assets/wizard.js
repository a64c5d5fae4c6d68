// wizard.js: the setup wizard (the Premium App's Application URL). After the
// shared start-up (config, PKCE sign-in, WhoAmI in dcm.js) it asks which of
// the administrator's permissions are missing, shows the installation
// checklist (SetupStatus), installs the Genesys side part by part (Install) so
// each step shows its progress, and removes it again when opened with
// uninstall=true (Uninstall). The admin's token goes with each call only.
(function () {
  "use strict";
  var W = {};
  var $ = DCM.$;
  var core = window.DCMCore;

  // Genesys's own premium-app wizard names the gc* parameters hostOrigin and
  // targetEnv; accept both spellings.
  if (DCM.params.hostOrigin && !DCM.params.gcHostOrigin) { DCM.params.gcHostOrigin = DCM.params.hostOrigin; }
  if (DCM.params.targetEnv && !DCM.params.gcTargetEnv) { DCM.params.gcTargetEnv = DCM.params.targetEnv; }
  var uninstallMode = String(DCM.params.uninstall || "").toLowerCase() === "true";

  // tr translates key, or falls back to the server's English text.
  function tr(key, fallback, vars) {
    var s = DCM.t(key, vars);
    return s === key ? fallback : s;
  }
  // say is a setup sentence (setup.Msg) in the page's language, or the
  // server's English when it sent no code.
  function say(msg, english) {
    return msg && msg.code ? core.formatMsg(msg, DCM.t, "setup.") : (english || "");
  }
  // technical puts an upstream's own words under "administrator details".
  function technical(text) {
    var d = DCM.el("details", { className: "admin" });
    d.appendChild(DCM.el("summary", { text: DCM.t("admin.details") }));
    d.appendChild(DCM.el("code", { text: text }));
    return d;
  }
  // ---- announcements: the top of the page, and a toast in the desktop ----
  // toast asks the Genesys desktop around the wizard for a toast through
  // the official Client App SDK (alerting.showToastPopup), as the agent
  // page does; an error toast stays until closed (showCloseButton).
  var clientApp;
  function toast(message, type) {
    if (clientApp === undefined) {
      clientApp = null;
      var Ctor = window.purecloud && window.purecloud.apps && window.purecloud.apps.ClientApp;
      var host = DCM.param("gcHostOrigin"), env = DCM.param("gcTargetEnv");
      if (Ctor && window.parent !== window && host && env) {
        try { clientApp = new Ctor({ gcHostOrigin: host, gcTargetEnv: env }); } catch (e) { clientApp = null; }
      }
    }
    if (!clientApp) { return; }
    try {
      clientApp.alerting.showToastPopup(DCM.t("wizard.toast.title"), message, {
        type: type, id: "dcm-wizard", markdownMessage: false, showCloseButton: true, timeout: type === "error" ? 0 : 7
      });
    } catch (e) { /* a toast is a courtesy; the page says it too */ }
  }
  // announce says text at the top of the page (role=status) and, when the
  // wizard runs inside the desktop, in a toast. kind: ok, warn or error.
  // source is "action" (install, uninstall) or "checks" (the checklist's
  // failures), so a re-check after an install does not hide its result.
  function announce(text, kind, source) {
    DCM.message($("announce"), text, kind);
    $("announce").setAttribute("data-kind", kind || "");
    $("announce").setAttribute("data-source", text ? source || "action" : "");
    if (text) { toast(text, kind === "ok" ? "success" : kind === "warn" ? "info" : "error"); }
  }
  W.announce = announce;

  function badge(status) {
    return DCM.el("span", { className: "badge " + status, text: tr("wizard.status." + status, status) });
  }

  // ---- permissions ----
  function showPermissions(ctx) {
    var panel = $("permissions"), list = $("permissions-missing"), summary = $("permissions-summary");
    panel.hidden = false;
    list.textContent = "";
    var needed = uninstallMode ? ["check", "uninstall"] : ["check", "install"];
    var missing = ctx.permissions.filter(function (p) { return !p.held && needed.indexOf(p.for) >= 0; });
    var optional = ctx.permissions.filter(function (p) { return !p.held && p.for === "optional"; });
    if (missing.length) {
      DCM.message(summary, DCM.t("wizard.permissions.missing"), "error");
    } else {
      DCM.message(summary, DCM.t("wizard.permissions.ok"), "ok");
    }
    missing.concat(optional).forEach(function (p) {
      var li = DCM.el("li", { className: p.for === "optional" ? "optional" : "" });
      li.setAttribute("data-permission", p.permission);
      li.appendChild(DCM.el("code", { text: p.permission }));
      li.appendChild(document.createTextNode(" — " + tr("wizard.perm." + p.permission, p.purpose) +
        (p.for === "optional" ? " (" + DCM.t("wizard.permissions.optional") + ")" : "")));
      list.appendChild(li);
    });
  }

  // ---- checklist ----
  function stepTitle(step) {
    var m = /^Steps? (\d+)/.exec(step || "");
    return m ? tr("wizard.step" + m[1], step) : step;
  }
  // Failures first, then warnings, then what was not checked (it waits on
  // a failure), then the passes, each in install-guide order.
  var statusOrder = { fail: 0, warn: 1, skip: 2 };
  function byUrgency(lines) {
    return lines.map(function (l, i) { return { l: l, i: i }; }).sort(function (a, b) {
      var x = a.l.status in statusOrder ? statusOrder[a.l.status] : 3, y = b.l.status in statusOrder ? statusOrder[b.l.status] : 3;
      return x - y || a.i - b.i;
    }).map(function (o) { return o.l; });
  }
  function renderChecklist(report) {
    var body = $("checklist").querySelector("tbody");
    body.textContent = "";
    byUrgency(report.lines || []).forEach(function (l) {
      var tr0 = DCM.el("tr");
      tr0.setAttribute("data-id", l.id);
      tr0.setAttribute("data-status", l.status);
      var st = DCM.el("td");
      st.appendChild(badge(l.status));
      tr0.appendChild(st);
      tr0.appendChild(DCM.el("td", { className: "step", text: stepTitle(l.step) }));
      tr0.appendChild(DCM.el("td", { text: tr("wizard.check." + l.id, l.check) }));
      var detail = DCM.el("td", { className: "detail" });
      detail.appendChild(DCM.el("div", { className: "found", text: say(l.detailMsg, l.detail) }));
      if (l.fix && l.status !== "pass") {
        detail.appendChild(DCM.el("div", { className: "fix", text: DCM.t("wizard.fix") + " " + say(l.fixMsg, l.fix) }));
      }
      if (l.technical) { detail.appendChild(technical(l.technical)); }
      tr0.appendChild(detail);
      body.appendChild(tr0);
    });
    var s = $("checklist-summary");
    s.removeAttribute("data-i18n");
    s.textContent = DCM.t("wizard.checklist.summary", { pass: report.pass, warn: report.warn, fail: report.fail, skip: report.notChecked || 0 });
    s.setAttribute("data-ok", report.ok ? "true" : "false");
  }
  W.loadStatus = function () {
    $("checklist-panel").hidden = false;
    $("recheck").disabled = true;
    var s = $("checklist-summary");
    s.textContent = DCM.t("wizard.checklist.loading");
    s.removeAttribute("data-ok");
    return DCM.call("SetupStatus", {}).then(function (report) {
      W.report = report;
      renderChecklist(report);
      var from = $("announce").getAttribute("data-source");
      if (report.fail && from !== "action") {
        announce(DCM.t("wizard.announce.failures", { n: report.fail }), "error", "checks");
      } else if (!report.fail && from === "checks") {
        announce("", "");
      }
      return report;
    }).catch(function (e) {
      DCM.message(s, DCM.describeError(e), "error");
    }).then(function (st) {
      $("recheck").disabled = false;
      return st;
    });
  };

  // ---- install ----
  var partKind = { group: "group", role: "role", serverRole: "serverRole", widget: "interactionWidget", supervisor: "supervisorApp", actions: "dataActions" };
  function planName(kind) {
    var o = (W.ctx.plan.objects || []).filter(function (x) { return x.kind === kind; })[0];
    return o ? o.name : "";
  }
  function renderParts() {
    var ol = $("install-steps");
    ol.textContent = "";
    W.ctx.plan.parts.forEach(function (p) {
      var li = DCM.el("li");
      li.setAttribute("data-part", p);
      li.setAttribute("data-state", "pending");
      li.appendChild(DCM.el("span", { className: "part", text: DCM.t("wizard.part." + p) }));
      var name = partKind[p] ? planName(partKind[p]) : "";
      if (name) { li.appendChild(DCM.el("span", { className: "muted", text: " — " + name })); }
      li.appendChild(DCM.el("span", { className: "badge state", text: "" }));
      ol.appendChild(li);
    });
  }
  function setPart(p, state, text) {
    var li = $("install-steps").querySelector('[data-part="' + p + '"]');
    if (!li) { return; }
    li.setAttribute("data-state", state);
    var b = li.querySelector(".state");
    b.className = "badge state " + state;
    b.textContent = text;
  }
  function partOutcome(p, res) {
    if (p === "record") {
      if (res.premiumApp) { return tr("wizard.action." + (res.premiumApp.action || "recorded"), res.premiumApp.action || "recorded"); }
      return DCM.t("wizard.install.notRecorded");
    }
    var o = (res.objects || [])[0];
    if (!o) { return ""; }
    var out = tr("wizard.action." + o.action, o.action);
    // The server role says whether the Client Credentials client got it.
    if (o.grant) { out += " · " + DCM.t("wizard.grant." + o.grant.action, { client: o.grant.client }); }
    return out;
  }
  W.install = function () {
    var btn = $("install"), result = $("install-result");
    btn.disabled = true;
    result.hidden = true;
    renderParts();
    var parts = W.ctx.plan.parts.slice();
    var warnings = [];
    var next = function () {
      var p = parts.shift();
      if (!p) { return Promise.resolve(); }
      setPart(p, "running", DCM.t("wizard.install.running"));
      return DCM.call("Install", { parts: [p] }).then(function (res) {
        var codes = res.warningMsgs || [];
        (res.warnings || []).forEach(function (w, i) { warnings.push(say(codes[i], w)); });
        setPart(p, "done", partOutcome(p, res));
        return next();
      }).catch(function (e) {
        setPart(p, "failed", DCM.t("wizard.status.fail"));
        e.part = p;
        throw e;
      });
    };
    announce("", "");
    return next().then(function () {
      var text = DCM.t("wizard.install.done") + (warnings.length ? " " + warnings.join(". ") + "." : "");
      DCM.message(result, text, warnings.length ? "warn" : "ok");
      result.setAttribute("data-result", "done");
      announce(warnings.length ? DCM.t("wizard.announce.installedWarnings", { n: warnings.length }) : DCM.t("wizard.announce.installed"), warnings.length ? "warn" : "ok");
    }).catch(function (e) {
      var text = DCM.t("wizard.install.failed", { part: DCM.t("wizard.part." + e.part), error: DCM.describeError(e) });
      DCM.message(result, text, "error");
      result.setAttribute("data-result", "failed");
      announce(text, "error");
    }).then(function () {
      btn.textContent = DCM.t("wizard.install.again");
      btn.disabled = false;
      return W.loadStatus();
    });
  };
  function showInstall() {
    $("install-panel").hidden = false;
    renderParts();
    var btn = $("install");
    btn.disabled = !W.ctx.canInstall;
    btn.addEventListener("click", function () { W.install(); });
  }

  // ---- uninstall ----
  function showUninstall() {
    $("uninstall-panel").hidden = false;
    var back = new URLSearchParams();
    ["langTag", "environment", "gcHostOrigin", "gcTargetEnv"].forEach(function (k) { if (DCM.params[k]) { back.set(k, DCM.params[k]); } });
    $("uninstall-back").setAttribute("href", "index.html" + (back.toString() ? "?" + back.toString() : ""));
    var list = $("uninstall-list"), btn = $("uninstall"), result = $("uninstall-result");
    var render = function (objs, state) {
      list.textContent = "";
      objs.forEach(function (o) {
        var li = DCM.el("li");
        li.setAttribute("data-kind", o.kind);
        li.setAttribute("data-state", state || o.action || "found");
        li.appendChild(DCM.el("span", { className: "part", text: tr("wizard.kind." + o.kind, o.kind) }));
        li.appendChild(DCM.el("span", { className: "muted", text: " — " + o.name }));
        if (o.action) { li.appendChild(DCM.el("span", { className: "badge state " + o.action, text: tr("wizard.action." + o.action, o.action) })); }
        if (o.grant) { li.appendChild(DCM.el("span", { className: "muted grant", text: " " + DCM.t("wizard.grant." + o.grant.action, { client: o.grant.client }) })); }
        list.appendChild(li);
      });
    };
    W.loadStatus().then(function (report) {
      var inst = report && report.installed;
      var objs = (inst && inst.objects) || [];
      render(objs);
      if (!objs.length && !(inst && inst.recorded)) {
        DCM.message(result, DCM.t("wizard.uninstall.nothing"), "");
      }
      btn.disabled = !W.ctx.canUninstall;
    });
    // Uninstall asks first, saying how much it removes (the list above).
    var confirmBox = $("uninstall-confirm");
    btn.addEventListener("click", function () {
      var n = list.querySelectorAll("li").length;
      $("uninstall-confirm-text").textContent = DCM.t("wizard.uninstall.confirm", { n: n });
      confirmBox.hidden = false;
      btn.disabled = true;
      $("uninstall-yes").focus();
    });
    $("uninstall-no").addEventListener("click", function () {
      confirmBox.hidden = true;
      btn.disabled = !W.ctx.canUninstall;
      btn.focus();
    });
    $("uninstall-yes").addEventListener("click", function () {
      confirmBox.hidden = true;
      btn.disabled = true;
      DCM.message(result, DCM.t("wizard.uninstall.running"), "");
      DCM.call("Uninstall", {}).then(function (res) {
        render(res.objects || []);
        var codes = res.warningMsgs || [];
        var warnings = (res.warnings || []).map(function (w, i) { return say(codes[i], w); });
        var removed = (res.objects || []).filter(function (o) { return o.action === "deleted"; }).length;
        DCM.message(result, DCM.t("wizard.uninstall.done", { n: removed }) +
          (warnings.length ? " " + warnings.join(". ") + "." : ""), warnings.length ? "warn" : "ok");
        result.setAttribute("data-result", "done");
        announce(DCM.t("wizard.uninstall.done", { n: removed }) + (warnings.length ? " " + warnings.join(". ") + "." : ""), warnings.length ? "warn" : "ok");
        return W.loadStatus();
      }).catch(function (e) {
        DCM.message(result, DCM.describeError(e), "error");
        result.setAttribute("data-result", "failed");
        announce(DCM.t("wizard.announce.uninstallFailed", { error: DCM.describeError(e) }), "error");
        btn.disabled = false;
      });
    });
  }

  window.DCMWizard = W;
  DCM.start().then(function () {
    return DCM.call("WizardContext", {});
  }).then(function (ctx) {
    W.ctx = ctx;
    showPermissions(ctx);
    $("recheck").addEventListener("click", function () { W.loadStatus(); });
    if (uninstallMode) {
      showUninstall();
      return;
    }
    if (ctx.canInstall) { showInstall(); }
    if (ctx.canCheck) { W.loadStatus(); }
  }).catch(function (e) {
    if (!W.ctx && DCM.me) { DCM.setState("error", DCM.describeError(e)); }
  });
})();
