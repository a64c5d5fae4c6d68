package appbasetest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const bdsPrefix = "/BDS.WebService/DataServiceRest.svc/"

// serveRule handles {cmd}/{domain}/{rule}?t= for the commands clients use:
// get.json/exec (query inputs), post.json/exec2 (JSON Parameters) and post
// (form fields) (docs/upstreams.md). Checks run in AppBase's order as far as known:
// token, domain, rule; each failure is the top-level error form.
func (s *Server) serveRule(w http.ResponseWriter, r *http.Request, rest string) {
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		http.NotFound(w, r)
		return
	}
	cmd, domain, rule := strings.ToLower(parts[0]), parts[1], parts[2]
	var wantMethod string
	switch cmd {
	case "get.json", "exec":
		wantMethod = http.MethodGet
	case "post.json", "exec2", "post":
		wantMethod = http.MethodPost
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != wantMethod {
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}

	op := s.opFor(rule)
	key := op
	if key == "" {
		key = strings.ToUpper(rule)
	}
	s.mu.Lock()
	s.requests[key]++
	s.mu.Unlock()
	if s.applyFault(w, r, key) {
		return
	}

	params, err := readParams(r, cmd)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	tokenOK := s.checkToken(r.URL.Query().Get("t"))
	removed := s.removed[op]
	domainOK := strings.EqualFold(domain, s.domain)
	var reply ruleReply
	page, isPage := pageRules[strings.ToUpper(rule)]
	if isPage {
		removed = s.removed[strings.ToUpper(rule)]
	}
	if tokenOK && domainOK && isPage && !removed {
		reply = page(s, params)
	} else if tokenOK && domainOK && op != "" && !removed {
		if std, ok := standardRules[strings.ToUpper(rule)]; ok {
			reply = std.fn(s, params)
		} else {
			reply = contract[op](s, params)
		}
	}
	quirks, tokenStatus, tokenMsg := s.quirks, s.tokenErrStatus, s.tokenErrMsg
	s.mu.Unlock()
	switch {
	case !tokenOK:
		s.writeTopLevel(w, tokenStatus, 500, tokenMsg)
	case !domainOK:
		s.writeTopLevel(w, http.StatusOK, 500, fmt.Sprintf("Domain '%s' was not found", domain))
	case (op == "" && !isPage) || removed:
		s.writeTopLevel(w, http.StatusOK, 500, fmt.Sprintf("Rule '%s' not found in domain '%s'", rule, domain))
	default:
		writeEnvelope(w, rule, reply, quirks)
	}
}

// opFor is the contract operation whose rule code is rule (any case): a
// custom rule <code>_<OP> or a standard rule.
func (s *Server) opFor(rule string) string {
	if std, ok := standardRules[strings.ToUpper(rule)]; ok {
		return std.op
	}
	for op := range contract {
		if strings.EqualFold(rule, s.code+"_"+op) {
			return op
		}
	}
	return ""
}

// readParams collects rule inputs with upper-cased names.
func readParams(r *http.Request, cmd string) (map[string]string, error) {
	p := map[string]string{}
	switch cmd {
	case "get.json", "exec":
		for k, v := range r.URL.Query() {
			if k != "t" && len(v) > 0 {
				p[strings.ToUpper(k)] = v[0]
			}
		}
	case "post":
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("bad form body: %v", err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				p[strings.ToUpper(k)] = v[0]
			}
		}
	default: // post.json, exec2
		var body struct {
			Parameters []struct {
				Name  string
				Value any
			}
		}
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			return nil, fmt.Errorf("The request body is not {\"Parameters\":[{\"Name\":...,\"Value\":...}]}: %v", err)
		}
		for _, prm := range body.Parameters {
			switch v := prm.Value.(type) {
			case nil:
				p[strings.ToUpper(prm.Name)] = ""
			case string:
				p[strings.ToUpper(prm.Name)] = v
			default:
				p[strings.ToUpper(prm.Name)] = fmt.Sprint(v)
			}
		}
	}
	return p, nil
}

func (s *Server) writeTopLevel(w http.ResponseWriter, status, code int, msg string) {
	body, _ := json.Marshal(map[string]any{"ErrorCode": code, "ErrorMessage": msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// quirkKeys are the mixed-case spellings seen in real replies (docs/upstreams.md).
var quirkKeys = map[string]string{
	"TOTALCOUNT": "TotalCount", "ERRORCODE": "ErrorCode", "ERRORMESSAGE": "ErrorMessage",
	"EMAIL": "Email", "NAME": "Name",
}

// jsDateMarker tags dates during marshalling; afterwards the quoted marker
// is replaced by the JavaScript literal new Date(ms), which is not JSON.
const jsDateMarker = "\x00jsdate:"

var jsDateRe = regexp.MustCompile(`"\\u0000jsdate:(-?\d+)"`)

// writeEnvelope writes {"DATA":{"<rule as requested>":{ITEMS, TOTALCOUNT,
// ERRORCODE, ERRORMESSAGE}}}; with quirks, the messy variant.
func writeEnvelope(w http.ResponseWriter, rule string, rep ruleReply, quirks bool) {
	key := func(k string) string {
		if quirks {
			if q, ok := quirkKeys[k]; ok {
				return q
			}
		}
		return k
	}
	items := make([]map[string]any, 0, len(rep.rows))
	for i, r := range rep.rows {
		out := make(map[string]any, len(r)+1)
		for k, v := range r {
			out[key(k)] = render(v, quirks)
		}
		if quirks {
			out["RN"] = strconv.Itoa(rep.first + i + 1)
		}
		items = append(items, out)
	}
	obj := map[string]any{"ITEMS": items}
	for k, v := range rep.outputs {
		if rs, ok := v.([]row); ok {
			cur := make([]map[string]any, 0, len(rs))
			for _, r := range rs {
				m := make(map[string]any, len(r))
				for ck, cv := range r {
					m[ck] = render(cv, quirks)
				}
				cur = append(cur, m)
			}
			obj[k] = cur
			continue
		}
		obj[k] = render(v, quirks)
	}
	var code, msg any
	if rep.err != nil {
		code, msg = rep.err.code, rep.err.msg
		if quirks {
			code = strconv.Itoa(rep.err.code)
		}
	}
	obj[key("ERRORCODE")] = code
	obj[key("ERRORMESSAGE")] = msg
	if quirks {
		obj[key("TOTALCOUNT")] = strconv.Itoa(rep.total)
		obj["RETVAL"] = "-1"
		obj["ValidationSummary"] = map[string]any{"VALIDATION": nil, "IsValid": rep.err == nil}
	} else {
		obj["TOTALCOUNT"] = rep.total
	}
	body, err := json.Marshal(map[string]any{"DATA": map[string]any{rule: obj}})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if quirks {
		body = jsDateRe.ReplaceAll(body, []byte("new Date($1)"))
		body = append([]byte("\xEF\xBB\xBF"), body...)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

func render(v any, quirks bool) any {
	switch x := v.(type) {
	case text:
		if quirks && x == "" {
			return nil
		}
		return string(x)
	case num:
		if quirks {
			return string(x)
		}
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return json.Number(x)
		}
		return string(x)
	case flag:
		n := 0
		if x {
			n = 1
		}
		if quirks {
			return strconv.Itoa(n)
		}
		return n
	case date:
		ms := time.Time(x).UnixMilli()
		if quirks {
			return jsDateMarker + strconv.FormatInt(ms, 10)
		}
		return ms
	}
	return v
}
