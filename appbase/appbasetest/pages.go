package appbasetest

import (
	"html/template"
	"net/http"
	"sort"
	"strings"
)

// pageTmpl is a stand-in Ecx.Web page: it shows which page was opened and
// with what, so the demo and browser tests can see the screen-pop target.
var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Page}} - ServiceJourney (fake)</title>
<style>body{font-family:sans-serif;margin:1rem}dt{font-weight:bold}</style></head>
<body>
<h1 id="page">{{.Page}}</h1>
<p>Fake ServiceJourney page in domain <span id="domain">{{.Domain}}</span>{{if .App}}, application <span id="app">{{.App}}</span>{{end}}.</p>
{{if .Embedded}}<p id="embedded">Embedded mode: no ServiceJourney header or menu.</p>{{end}}
{{if .Party}}<p id="party">Party: <span class="name">{{.Party.Name}}</span> ({{.Party.Phone}} {{.Party.Email}})</p>{{end}}
{{if .Case}}<p id="case">Case: <span class="caseid">{{.Case.CaseID}}</span> {{.Case.Summary}} ({{.Case.State}})</p>{{end}}
<dl id="params">{{range .Params}}<dt>{{.Name}}</dt><dd data-param="{{.Name}}">{{.Value}}</dd>{{end}}</dl>
</body></html>`))

type pageParam struct{ Name, Value string }

// servePage answers GET /Ecx.Web/do/{page}, /Ecx.Web/{locale}/do/{page}
// and the application shell /Ecx.Web?appid= (shown as page "Ecx.Web"). The
// stock detail pages are root_UTIL_CaseManagement with app=CaseDetailRuntime
// or ExternalPartyDetailRuntime; EmbeddedMode=1 drops the shell's chrome.
// The token parameter t is never shown.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, rest string) {
	parts := strings.Split(rest, "/")
	var page string
	switch {
	case rest == "":
		page = "Ecx.Web"
	case len(parts) == 2 && parts[0] == "do":
		page = parts[1]
	case len(parts) == 3 && parts[1] == "do":
		page = parts[2]
	}
	s.mu.Lock()
	missing := s.missingPages[strings.ToUpper(page)]
	s.mu.Unlock()
	if page == "" || missing {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	data := struct {
		Page, Domain, App string
		Embedded          bool
		Params            []pageParam
		Party             *Party
		Case              *Case
	}{Page: page, Domain: q.Get("d"), App: q.Get("app"), Embedded: q.Get("EmbeddedMode") == "1"}
	s.mu.Lock()
	for name, vals := range q {
		if strings.EqualFold(name, "t") {
			data.Params = append(data.Params, pageParam{name, "(token present)"})
			continue
		}
		v := strings.Join(vals, ",")
		data.Params = append(data.Params, pageParam{name, v})
		ln := strings.ToLower(name)
		if strings.Contains(ln, "party") {
			for i := range s.parties {
				if s.parties[i].ID == v {
					p := s.parties[i]
					data.Party = &p
				}
			}
		}
		if strings.Contains(ln, "case") {
			for i := range s.cases {
				if s.cases[i].ID == v || strings.EqualFold(s.cases[i].CaseID, v) {
					c := s.cases[i]
					data.Case = &c
				}
			}
		}
	}
	xfo, csp := s.xfo, s.csp
	s.mu.Unlock()
	sort.Slice(data.Params, func(i, j int) bool { return data.Params[i].Name < data.Params[j].Name })
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if xfo != "" {
		h.Set("X-Frame-Options", xfo)
	}
	if csp != "" {
		h.Set("Content-Security-Policy", csp)
	}
	_ = pageTmpl.Execute(w, data)
}

// RemovePage makes an Ecx.Web page code (or "Ecx.Web", the shell) answer
// 404, as a page the solution does not have.
func (s *Server) RemovePage(code string) {
	s.mu.Lock()
	s.missingPages[strings.ToUpper(code)] = true
	s.mu.Unlock()
}
