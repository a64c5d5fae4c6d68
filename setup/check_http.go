package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// maxProbeBody caps what a probe reads; GetConfig is a few hundred bytes.
const maxProbeBody = 1 << 20

func (c *Checker) httpChecks(ctx context.Context, _ *genesys.Client, add func(...Line)) {
	add(c.step(ctx, c.checkPublicURL), c.step(ctx, c.checkFraming))
	for _, p := range []struct{ key, page string }{
		{"party", c.o.Pages.Party}, {"case", c.o.Pages.Case}, {"newCase", c.o.Pages.NewCase},
	} {
		if p.page != "" {
			add(c.step(ctx, func(ctx context.Context) Line { return c.checkPage(ctx, p.key, p.page) }))
		}
	}
}

// PopPages are the screen-pop page settings `check` opens.
type PopPages struct{ Party, Case, NewCase string }

// checkPage opens one pop target as the agent page would, with ids no
// record has: a page the solution lacks answers 404 (or fails), which would
// leave agents with an error page in the frame.
func (c *Checker) checkPage(ctx context.Context, key, page string) Line {
	id, check := "sj.page."+key, "servicejourney.pages."+key
	ab := c.o.AppBase
	if err := appbase.CheckPageTemplate(page); err != nil {
		return lineErr(id, Step10, check, Fail, M("pageInvalid"), err, M("fixPageSetting", "key", key))
	}
	vars := map[string]string{"domain": ab.Domain(), "appId": c.o.AppID, "partyId": "0", "caseId": "0", "caseNumber": "0",
		"phone": "+10000000000", "email": "probe@example.invalid", "conversationId": "00000000-0000-0000-0000-000000000000"}
	u := appbase.ExpandPage(ab.URL(), page, vars)
	if appbase.IsPageCode(page) {
		u = ab.URL() + "/Ecx.Web/do/" + url.PathEscape(page) + "?" + url.Values{"d": {ab.Domain()}, "appid": {c.o.AppID}}.Encode()
	}
	fix := M("fixPage", "key", key)
	resp, _, err := c.get(ctx, "sj_page", u)
	switch {
	case err != nil:
		return lineErr(id, Step10, check, Fail, M("pageNoAnswer"), err, M("fixSJReach"))
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode >= 500:
		return line(id, Step10, check, Fail, M("pageHTTP", "path", resp.Request.URL.Path, "status", resp.StatusCode), fix)
	case resp.StatusCode >= 400:
		return line(id, Step10, check, Warn, M("pageHTTPSignIn", "path", resp.Request.URL.Path, "status", resp.StatusCode), fix)
	}
	return line(id, Step10, check, Pass, M("pageAnswers", "path", resp.Request.URL.Path), none)
}

// get makes one probe request and counts it.
func (c *Checker) get(ctx context.Context, probe, rawURL string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.o.HTTPClient.Do(req)
	if err != nil {
		c.probes.WithLabelValues(probe, "error").Inc()
		return nil, nil, stripURLError(err)
	}
	defer resp.Body.Close()
	c.probes.WithLabelValues(probe, fmt.Sprintf("%dxx", resp.StatusCode/100)).Inc()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
	return resp, body, stripURLError(err)
}

// stripURLError keeps the cause of a *url.Error without the URL, which could
// carry a query the caller did not mean to print.
func stripURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// checkPublicURL asks this connector, through server.publicURL, for its page
// configuration: the same way a browser in the Genesys desktop reaches it.
func (c *Checker) checkPublicURL(ctx context.Context) Line {
	const id, check = "server.publicURL", "public URL"
	pub := c.o.PublicURL
	reachFix := M("fixPublicURLReach", "url", pub)
	u, err := url.Parse(pub)
	if pub == "" || err != nil || u.Host == "" {
		return line(id, Step9, check, Fail, M("publicURLNotAbsolute", "url", pub), M("fixPublicURLSet"))
	}
	resp, body, err := c.get(ctx, "public_url", pub+"/dcm-connect-service/DCMServices.asmx/GetConfig")
	if err != nil {
		return lineErr(id, Step9, check, Fail, M("noAnswer", "url", pub), err, reachFix)
	}
	var cfg struct {
		D struct {
			PublicURL string `json:"publicURL"`
		} `json:"d"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &cfg) != nil {
		return line(id, Step9, check, Fail, M("publicURLNotDCM", "url", pub, "status", resp.StatusCode), reachFix)
	}
	if strings.TrimRight(cfg.D.PublicURL, "/") != pub {
		return line(id, Step9, check, Fail, M("publicURLOther", "url", pub, "other", cfg.D.PublicURL), M("fixSamePublicURL"))
	}
	if resp, _, err := c.get(ctx, "public_url", pub+"/dcm-connect-docs/wizard/index.html"); err != nil || resp.StatusCode != http.StatusOK {
		return line(id, Step9, check, Fail, M("publicURLNoPages", "url", pub), reachFix)
	}
	httpsFix := M("fixHTTPS")
	switch {
	case u.Scheme == "https":
		return line(id, Step9, check, Pass, M("publicURLHTTPS", "url", pub), none)
	case isLoopbackHost(u.Hostname()):
		return line(id, Step9, check, Warn, M("publicURLLoopback", "url", pub), httpsFix)
	}
	return line(id, Step9, check, Fail, M("publicURLPlainHTTP", "url", pub), httpsFix)
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// checkFraming opens a ServiceJourney page as the agent page would (following
// any redirect to its login page) and reads whether the Genesys desktop and our
// pages may frame it: CSP frame-ancestors wins over X-Frame-Options.
func (c *Checker) checkFraming(ctx context.Context) Line {
	const id, check = "sj.framing", "framing allowed"
	ab := c.o.AppBase
	page := ab.URL() + "/Ecx.Web/"
	if c.o.FramePage != "" && !appbase.IsPageCode(c.o.FramePage) {
		// A page template (servicejourney.pages.party): probe it with an id no party has.
		page = appbase.ExpandPage(ab.URL(), c.o.FramePage, map[string]string{"domain": ab.Domain(), "appId": c.o.AppID, "partyId": "0"})
	} else if c.o.FramePage != "" {
		q := url.Values{"d": {ab.Domain()}}
		if c.o.AppID != "" {
			q.Set("appid", c.o.AppID)
		}
		page = ab.URL() + "/Ecx.Web/do/" + url.PathEscape(c.o.FramePage) + "?" + q.Encode()
	}
	self, err := url.Parse(ab.URL())
	if err != nil {
		return line(id, Step10, check, Fail, M("sjURLInvalid"), M("fixSJURLSet"))
	}
	resp, _, err := c.get(ctx, "sj_frame", page)
	if err != nil {
		return lineErr(id, Step10, check, Fail, M("noAnswer", "url", ab.URL()+"/Ecx.Web/"), err, M("fixSJReach"))
	}
	var ancestors []string
	for _, o := range []string{c.o.AppsOrigin, originOf(c.o.PublicURL)} {
		if o != "" && !slices.Contains(ancestors, o) {
			ancestors = append(ancestors, o)
		}
	}
	if final := resp.Request.URL; final != nil {
		self = &url.URL{Scheme: final.Scheme, Host: final.Host}
	}
	verdict := evalFraming(resp.Header, self, ancestors)
	fix := M("fixFraming", "origins", strings.Join(ancestors, ", "), "list", strings.Join(ancestors, " "))
	where := resp.Request.URL.Path
	switch {
	case len(verdict.blocked) > 0:
		return line(id, Step10, check, Fail, M("framingRefused", "path", where, "reason", verdict.reason, "origins", strings.Join(verdict.blocked, ", ")), fix)
	case !verdict.warn.IsZero():
		return line(id, Step10, check, Warn, M("framingWarn", "path", where, "warning", verdict.warn), fix)
	}
	return line(id, Step10, check, Pass, M("framingOK", "path", where, "reason", verdict.reason), none)
}

type framing struct {
	blocked []string // ancestors the page refuses
	reason  Msg      // which header decided
	warn    Msg
}

// evalFraming decides as current browsers do: a CSP frame-ancestors directive
// (in any policy) overrides X-Frame-Options; X-Frame-Options DENY refuses all,
// SAMEORIGIN refuses other origins, and ALLOW-FROM is ignored.
func evalFraming(h http.Header, self *url.URL, ancestors []string) framing {
	var policies [][]string
	for _, v := range h.Values("Content-Security-Policy") {
		for _, pol := range strings.Split(v, ",") {
			for _, dir := range strings.Split(pol, ";") {
				f := strings.Fields(dir)
				if len(f) > 0 && strings.EqualFold(f[0], "frame-ancestors") {
					policies = append(policies, f[1:])
				}
			}
		}
	}
	var out framing
	if len(policies) > 0 {
		out.reason = M("framing.csp")
		for _, a := range ancestors {
			au, err := url.Parse(a)
			if err != nil {
				continue
			}
			for _, srcs := range policies {
				if !sourcesAllow(srcs, au, self) {
					out.blocked = append(out.blocked, a)
					break
				}
			}
		}
		if len(out.blocked) == 0 {
			out.reason = M("framing.cspAllows", "origins", strings.Join(ancestors, ", "))
		}
		return out
	}
	xfo := strings.ToUpper(strings.TrimSpace(h.Get("X-Frame-Options")))
	switch {
	case xfo == "DENY":
		out.reason, out.blocked = M("framing.xfoDeny"), ancestors
	case xfo == "SAMEORIGIN":
		out.reason = M("framing.xfoSameOrigin")
		for _, a := range ancestors {
			if a != self.Scheme+"://"+self.Host {
				out.blocked = append(out.blocked, a)
			}
		}
	case strings.HasPrefix(xfo, "ALLOW-FROM"):
		out.warn = M("framing.allowFrom")
	case xfo != "":
		out.warn = M("framing.xfoInvalid", "value", xfo)
	default:
		out.reason = M("framing.none")
	}
	return out
}

// sourcesAllow matches origin against one frame-ancestors source list (CSP3,
// host-source and scheme-source matching; paths are ignored for ancestors).
func sourcesAllow(srcs []string, origin, self *url.URL) bool {
	for _, s := range srcs {
		s = strings.TrimSpace(s)
		ls := strings.ToLower(s)
		switch {
		case ls == "'none'":
			continue
		case ls == "'self'":
			if sameOrigin(origin, self) {
				return true
			}
		case ls == "*":
			if origin.Scheme == "http" || origin.Scheme == "https" {
				return true
			}
		case strings.HasSuffix(ls, ":") && !strings.Contains(ls, "/"):
			scheme := strings.TrimSuffix(ls, ":")
			if origin.Scheme == scheme || (scheme == "http" && origin.Scheme == "https") {
				return true
			}
		default:
			if hostSourceMatches(ls, origin, self) {
				return true
			}
		}
	}
	return false
}

func hostSourceMatches(src string, origin, self *url.URL) bool {
	scheme, rest, hasScheme := strings.Cut(src, "://")
	if !hasScheme {
		scheme, rest = "", src
	}
	rest, _, _ = strings.Cut(rest, "/")
	host, port := rest, ""
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host, port = rest[:i], rest[i+1:]
	}
	switch {
	case scheme == "":
		// No scheme: the protected page's own, upgraded from http to https.
		if origin.Scheme != self.Scheme && !(self.Scheme == "http" && origin.Scheme == "https") {
			return false
		}
	case scheme != origin.Scheme && !(scheme == "http" && origin.Scheme == "https"):
		return false
	}
	oh := strings.ToLower(origin.Hostname())
	if strings.HasPrefix(host, "*.") {
		if !strings.HasSuffix(oh, host[1:]) {
			return false
		}
	} else if host != oh {
		return false
	}
	op := origin.Port()
	if op == "" {
		op = defaultPort(origin.Scheme)
	}
	if port == "" {
		port = defaultPort(origin.Scheme)
		if scheme == "http" && origin.Scheme == "https" {
			port = op // http://host covers https://host on the default ports
		}
	}
	return port == "*" || port == op
}

func defaultPort(scheme string) string {
	if scheme == "https" {
		return "443"
	}
	return "80"
}

func sameOrigin(a, b *url.URL) bool {
	pa, pb := a.Port(), b.Port()
	if pa == "" {
		pa = defaultPort(a.Scheme)
	}
	if pb == "" {
		pb = defaultPort(b.Scheme)
	}
	return a.Scheme == b.Scheme && strings.EqualFold(a.Hostname(), b.Hostname()) && pa == pb
}

func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
