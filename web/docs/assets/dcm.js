// dcm.js: what every dcmconnect page shares: configuration, language and
// text (assets/i18n/*.json), DOM helpers, sign-in to Genesys Cloud
// (Authorization Code + PKCE; implicit grant for old clients), calls to
// DCMServices and their errors. The pure parts are in core.js. The token
// lives in memory and sessionStorage only, never in a cookie; AppBase tokens
// never reach the browser.
(function () {
  "use strict";
  var cfg = window.DCMConfig;
  var core = window.DCMCore;
  var DCM = {};
  window.DCM = DCM;
  // The text tables sit next to this script, whatever page loads it.
  var textBase = new URL("i18n/", document.currentScript.src);

  // ---- page parameters (Genesys template variables, gc* and legacy pc*) ----
  var query = new URLSearchParams(window.location.search);
  var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  var queryParams = query, hashParams = hash;

  DCM.page = document.documentElement.getAttribute("data-page") || "index.html";
  var paramsKey = "dcm.params." + DCM.page;

  function savedParams() {
    try { return JSON.parse(sessionStorage.getItem(paramsKey) || "null"); } catch (e) { return null; }
  }
  DCM.params = core.readParams(query, hash, savedParams());
  DCM.param = function (gcName, pcName) { return core.param(DCM.params, gcName, pcName); };

  // ---- language ----
  var supported = (cfg && cfg.languages) || ["en-us", "de-de", "fr-fr", "es-es"];
  DCM.lang = core.pickLanguage([DCM.param("gcLangTag", "pcLangTag"), DCM.params.langTag, navigator.language], supported);
  // DCM.text holds the shared table and the page's own (data-text on <html>),
  // loaded by DCM.start before anything is shown.
  DCM.text = {};
  DCM.t = function (key, vars) { return core.lookup(DCM.text, DCM.lang, key, vars); };
  function loadText() {
    var names = ["shared"];
    var own = document.documentElement.getAttribute("data-text");
    if (own) { names.push(own); }
    return Promise.all(names.map(function (n) {
      return fetch(new URL(n + ".json", textBase)).then(function (r) {
        if (!r.ok) { throw new Error("the page's text (" + n + ".json) did not load: HTTP " + r.status); }
        return r.json();
      });
    })).then(function (tables) {
      tables.forEach(function (t) { core.mergeText(DCM.text, t); });
    });
  }
  DCM.translate = function (root) {
    (root || document).querySelectorAll("[data-i18n]").forEach(function (el) {
      el.textContent = DCM.t(el.getAttribute("data-i18n"));
    });
    (root || document).querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      el.setAttribute("placeholder", DCM.t(el.getAttribute("data-i18n-placeholder")));
    });
    document.documentElement.lang = DCM.lang;
  };

  // ---- DOM ----
  DCM.$ = function (id) { return document.getElementById(id); };
  // el makes an element: attrs.text is its text, attrs.className its class,
  // any other attribute is set as given (null or undefined: left out); kids
  // are nodes or strings.
  DCM.el = function (tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined) { return; }
      if (k === "text") { e.textContent = v; } else if (k === "className") { if (v) { e.className = v; } } else { e.setAttribute(k, v); }
    });
    (kids || []).forEach(function (c) { if (c != null) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return e;
  };
  DCM.clear = function (node) { while (node.firstChild) { node.removeChild(node.firstChild); } };
  DCM.show = function (node, on) { node.hidden = !on; };
  // message puts text in a message box of kind ("error", "ok", "warn" or
  // none) and shows the box, or hides it when there is no text.
  DCM.message = function (node, text, kind) {
    node.className = "message" + (kind ? " " + kind : "");
    node.textContent = text || "";
    node.hidden = !text;
  };

  // ---- connection state, shown on every page ----
  DCM.setState = function (state, text) {
    var el = document.getElementById("connection");
    if (!el) { return; }
    el.setAttribute("data-state", state);
    el.textContent = text;
  };

  // ---- sign-in ----
  function b64url(bytes) {
    var s = "";
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function randomString(n) {
    var a = new Uint8Array(n);
    crypto.getRandomValues(a);
    return b64url(a);
  }
  function challenge(verifier) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)).then(function (d) {
      return b64url(new Uint8Array(d));
    });
  }
  DCM.redirectURI = function () { return cfg.docsURL + DCM.page; };
  var tokenKey = function () { return "dcm.token." + cfg.browserClientId; };

  function storedToken() {
    try {
      var t = JSON.parse(sessionStorage.getItem(tokenKey()) || "null");
      if (t && t.accessToken && t.expiresAt > Date.now() + 30000) { return t.accessToken; }
    } catch (e) { /* fall through to sign-in */ }
    return "";
  }
  function storeToken(accessToken, expiresIn) {
    DCM.token = accessToken;
    sessionStorage.setItem(tokenKey(), JSON.stringify({
      accessToken: accessToken, expiresAt: Date.now() + (Number(expiresIn) || 3600) * 1000
    }));
  }
  DCM.signOut = function () {
    DCM.token = "";
    sessionStorage.removeItem(tokenKey());
  };

  // authError is a failed sign-in: its message says what went wrong, so
  // describeError shows it instead of the generic "session ended".
  function authError(message) {
    var e = new Error(message);
    e.status = 401;
    e.signIn = true;
    return e;
  }

  // finishRedirect completes a sign-in when the page is the OAuth redirect
  // target (q and h default to this page's query and fragment; a popup
  // sign-in hands over its own).
  function finishRedirect(q, h) {
    var query = q || queryParams, hash = h || hashParams;
    var state = query.get("state") || hash.get("state");
    var err = query.get("error") || hash.get("error");
    var expected = sessionStorage.getItem("dcm.oauth.state." + DCM.page);
    if (err) {
      // Only an answer to our own request may put its wording on the page;
      // a crafted link with error=... gets the generic mismatch message.
      if (!expected || state !== expected) { return Promise.reject(authError(DCM.t("auth.state"))); }
      return Promise.reject(authError(DCM.t("auth.refused", { reason: query.get("error_description") || hash.get("error_description") || err })));
    }
    if (hash.get("access_token")) {
      if (!expected || state !== expected) { return Promise.reject(authError(DCM.t("auth.state"))); }
      storeToken(hash.get("access_token"), hash.get("expires_in"));
      return Promise.resolve(true);
    }
    if (query.get("code")) {
      if (!expected || state !== expected) { return Promise.reject(authError(DCM.t("auth.state"))); }
      var verifier = sessionStorage.getItem("dcm.oauth.verifier." + DCM.page) || "";
      var body = new URLSearchParams({
        grant_type: "authorization_code", code: query.get("code"), code_verifier: verifier,
        client_id: cfg.browserClientId, redirect_uri: DCM.redirectURI()
      });
      return fetch(cfg.loginURL + "/oauth/token", {
        method: "POST", body: body, headers: { "Content-Type": "application/x-www-form-urlencoded" }
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok || !j.access_token) {
            throw authError(DCM.t("auth.exchange", { reason: j.error_description || j.error || r.status }));
          }
          storeToken(j.access_token, j.expires_in);
          return true;
        });
      });
    }
    return Promise.resolve(false);
  }

  function cleanURL() {
    sessionStorage.removeItem("dcm.oauth.verifier." + DCM.page);
    sessionStorage.removeItem("dcm.oauth.state." + DCM.page);
    var qs = core.keptParams(DCM.params);
    history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
  }

  // Genesys desktop clients that cannot sign in inside the frame ask for a
  // popup ({{pcUsePopupAuth}}). The popup comes back to this page and hands
  // the answer to us (same origin only); we finish the sign-in here, where
  // the PKCE verifier is. Its state starts with "p." so it knows it is one.
  DCM.usePopup = function () { return String(DCM.param("pcUsePopupAuth", "gcUsePopupAuth")).toLowerCase() === "true"; };
  var popupPrefix = "p.";
  function isSignInPopup() {
    var state = query.get("state") || hash.get("state") || "";
    return state.indexOf(popupPrefix) === 0 && window.opener && window.opener !== window;
  }
  function handBackToOpener() {
    try {
      window.opener.postMessage({ type: "dcm.oauth", search: window.location.search, hash: window.location.hash }, window.location.origin);
    } finally {
      window.close();
    }
    return new Promise(function () { /* this window closes */ });
  }
  // signInButton puts one "Sign in" button in the header (replacing an
  // earlier one); it removes itself when clicked.
  function signInButton(onClick) {
    var old = document.getElementById("dcm-signin");
    if (old) { old.remove(); }
    var bar = document.querySelector("header.bar") || document.body;
    var btn = document.createElement("button");
    btn.id = "dcm-signin";
    btn.type = "button";
    btn.className = "primary";
    btn.textContent = DCM.t("auth.signIn");
    btn.addEventListener("click", function () { btn.remove(); onClick(); });
    bar.appendChild(btn);
    return btn;
  }
  // A popup blocker lets a window open only on a click: when the first try
  // is blocked, a "Sign in" button in the header opens it.
  function openPopup(url) {
    var features = "popup,width=520,height=680";
    var popup = window.open(url, "dcm-signin", features);
    if (popup) { return Promise.resolve(popup); }
    return new Promise(function (resolve, reject) {
      DCM.setState("signing-in", DCM.t("auth.popupBlocked"));
      signInButton(function () {
        var p = window.open(url, "dcm-signin", features);
        if (!p) { reject(authError(DCM.t("auth.popupBlocked"))); }
        else { resolve(p); }
      });
    });
  }
  // offerSignIn is the way back after a token stopped working or a sign-in
  // failed: a "Sign in" button that starts a fresh sign-in. The page then
  // starts over (a popup sign-in reloads it with the new token in
  // sessionStorage), so no page has to rebuild its state half-way.
  var offered = false;
  function offerSignIn() {
    if (offered || !cfg || !cfg.browserClientId) { return; }
    offered = true;
    signInButton(function () {
      startSignIn().then(function () { window.location.reload(); }, function (e) {
        offered = false;
        DCM.setState("error", DCM.describeError(e));
        offerSignIn();
      });
    });
  }
  function signInWithPopup(url) {
    return openPopup(url).then(function (popup) { return waitForPopup(popup); });
  }
  function waitForPopup(popup) {
    return new Promise(function (resolve, reject) {
      DCM.setState("signing-in", DCM.t("state.signingIn"));
      // The popup posts its answer and closes itself at once, so a tick can
      // see it closed before the answer's message event has run: a closed
      // popup counts as cancelled only when a whole tick later no answer came.
      var closedTicks = 0;
      var timer = setInterval(function () {
        if (popup.closed && ++closedTicks > 1) { done(); reject(authError(DCM.t("auth.popupClosed"))); }
      }, 500);
      function done() { clearInterval(timer); window.removeEventListener("message", onMessage); }
      function onMessage(e) {
        if (e.origin !== window.location.origin || e.source !== popup || !e.data || e.data.type !== "dcm.oauth") { return; }
        done();
        finishRedirect(new URLSearchParams(e.data.search || ""), new URLSearchParams(String(e.data.hash || "").replace(/^#/, "")))
          .then(function (ok) {
            sessionStorage.removeItem("dcm.oauth.verifier." + DCM.page);
            sessionStorage.removeItem("dcm.oauth.state." + DCM.page);
            if (!ok) { throw authError(DCM.t("auth.state")); }
            resolve(DCM.token);
          }).catch(reject);
      }
      window.addEventListener("message", onMessage);
    });
  }

  function startSignIn() {
    var popup = DCM.usePopup();
    var state = (popup ? popupPrefix : "") + randomString(16);
    var saved = {};
    Object.keys(DCM.params).forEach(function (k) { saved[k] = DCM.params[k]; });
    sessionStorage.setItem(paramsKey, JSON.stringify(saved));
    sessionStorage.setItem("dcm.oauth.state." + DCM.page, state);
    var auth = new URLSearchParams({ client_id: cfg.browserClientId, redirect_uri: DCM.redirectURI(), state: state });
    var go = function () {
      var url = cfg.loginURL + "/oauth/authorize?" + auth.toString();
      if (popup) { return signInWithPopup(url); }
      DCM.setState("signing-in", DCM.t("state.signingIn"));
      window.location.assign(url);
      return new Promise(function () { /* the page navigates away */ });
    };
    if (cfg.browserGrant === "implicit") {
      auth.set("response_type", "token");
      return go();
    }
    var verifier = randomString(48);
    sessionStorage.setItem("dcm.oauth.verifier." + DCM.page, verifier);
    return challenge(verifier).then(function (c) {
      auth.set("response_type", "code");
      auth.set("code_challenge", c);
      auth.set("code_challenge_method", "S256");
      return go();
    });
  }

  // signIn resolves with a Genesys user token, redirecting to the login page
  // when there is none yet.
  DCM.signIn = function () {
    if (!cfg || !cfg.browserClientId) {
      return Promise.reject(new Error(DCM.t("config.missing")));
    }
    if (isSignInPopup()) { return handBackToOpener(); }
    return finishRedirect().then(function (done) {
      if (done) { cleanURL(); return DCM.token; }
      DCM.token = storedToken();
      if (DCM.token) { return DCM.token; }
      return startSignIn();
    }, function (e) {
      // A failed answer (state mismatch, used code, refusal) must leave the
      // address bar: a reload would replay it and fail the same way.
      cleanURL();
      throw e;
    });
  };

  // ---- DCMServices ----
  // actionKey names one user action for the server's replay protection
  // (Idempotency-Key): a re-send of the same action carries the same key, so
  // a dial or log write whose answer was lost is not done twice.
  function actionKey() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
  }
  DCM.call = function (method, params, opts) {
    var headers = { "Content-Type": "application/json", "Idempotency-Key": (opts && opts.key) || actionKey() };
    if (DCM.token) { headers.Authorization = "Bearer " + DCM.token; }
    var body = JSON.stringify(params || {});
    function send(retried) {
      return fetch(cfg.serviceURL + method, {
        method: "POST", headers: headers, body: body,
        signal: opts && opts.signal
      }).catch(function (e) {
        // The answer was lost on the way (connection dropped): ask once more
        // with the same key; the server answers from the first attempt.
        if (retried || (opts && opts.signal && opts.signal.aborted)) { e.network = true; throw e; }
        return send(true);
      });
    }
    return send(false).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) {
          var e = new Error(j.Message || (method + " failed with HTTP " + r.status));
          e.status = r.status;
          e.type = j.ExceptionType;
          e.code = j.Code || "";
          e.params = j.Params || {};
          e.requestId = j.RequestId || r.headers.get("X-Request-Id") || "";
          if (r.status === 401) { DCM.signOut(); offerSignIn(); }
          throw e;
        }
        return j.d;
      });
    });
  };

  // describeError turns a failed call into one sentence for the person in front of the page.
  DCM.describeError = function (e) { return core.describeError(e, DCM.t); };

  // adminDetails fills (or hides) a disclosure with what an administrator
  // needs about a failure; the person in front of the page reads only the
  // translated sentence.
  DCM.adminDetails = function (node, e) {
    if (!node) { return; }
    var line = e ? core.technicalLine(e) : "";
    DCM.clear(node);
    node.hidden = !line;
    if (!line) { return; }
    node.appendChild(DCM.el("summary", { text: DCM.t("admin.details") }));
    node.appendChild(DCM.el("code", { text: line }));
  };

  // start runs the common page start-up: config check, sign-in, WhoAmI.
  DCM.start = function () {
    return loadText().then(startPage, function (e) {
      DCM.setState("error", e.message);
      throw e;
    });
  };
  function startPage() {
    DCM.translate();
    if (!cfg) {
      DCM.setState("error", DCM.t("config.missing"));
      return Promise.reject(new Error("config.js did not load"));
    }
    var host = DCM.param("gcHostOrigin");
    var envParam = host ? host.replace(/^https:\/\/apps\./, "") : DCM.param("environment", "pcEnvironment");
    // A desktop on loopback is a developer's or a test's host frame: the
    // Client App SDK takes it as its "localhost" environment (lookupGcEnv),
    // which names no Genesys environment to compare with ours.
    if (host && /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(host)) { envParam = ""; }
    if (envParam && cfg.environment && envParam !== cfg.environment) {
      DCM.setState("error", DCM.t("config.envMismatch", { page: envParam, server: cfg.environment }));
      return Promise.reject(new Error("environment mismatch"));
    }
    DCM.setState("connecting", DCM.t("state.connecting"));
    return DCM.signIn().then(function () {
      return DCM.call("WhoAmI", {});
    }).then(function (me) {
      DCM.me = me;
      var name = (me && me.genesys && me.genesys.name) || "";
      DCM.setState("connected", DCM.t("state.connected", { name: name }));
      return me;
    }).catch(function (e) {
      DCM.setState("error", DCM.describeError(e));
      if (e && e.status === 401) { offerSignIn(); }
      throw e;
    });
  }
})();
