package genesystest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// What test and execute do, in the order the data-actions service does it
// (help articles "request configuration", "response configuration"):
// validate the input against the contract, render the request with the
// Velocity-style templates, send it with the integration's credential and
// the ININ-* headers, read JSON back, apply the translation map (JSONPath,
// defaults only when a path fails) and the success template. The template
// language is a subset: ${input.X}, $input.X, ${input.rawRequest},
// $esc.url(...), $esc.jsonString(...).

// execError is a failed step: HTTP status and a Genesys error body.
type execError struct {
	status int
	code   string
	msg    string
}

func (e *execError) Error() string { return e.msg }

type execStep struct {
	Step    int    `json:"step"`
	Name    string `json:"name"`
	Success bool   `json:"success"`
	Result  any    `json:"result,omitempty"`
	Error   any    `json:"error,omitempty"`
}

// POST /api/v2/integrations/actions/{id}/execute (and /test, /draft/test).
func (s *Server) handleExecuteAction(mode string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var input map[string]any
		if !decodeJSON(w, r, &input) {
			return
		}
		tok, _ := r.Context().Value(tokenKey{}).(*token)
		orgID := s.OrgID()
		if tok != nil && tok.orgID != "" {
			orgID = tok.orgID
		}
		s.mu.Lock()
		a, ok := s.actionFor(w, r)
		if !ok {
			s.mu.Unlock()
			return
		}
		body := a.Published
		if mode == "draft" {
			body = a.Draft
		}
		var job *execJob
		var err error
		if body == nil {
			err = &execError{http.StatusNotFound, "not.found", "action " + a.ID + " has no " + map[bool]string{true: "draft", false: "published version"}[mode == "draft"]}
		} else {
			job, err = s.prepare(a, copyAction(Action{Draft: body}).Draft, input, orgID)
		}
		s.mu.Unlock()
		var steps []execStep
		var out any
		if err == nil {
			out, steps, err = job.run(r.Context())
		}
		if mode == "execute" {
			var ee *execError
			if errors.As(err, &ee) {
				writeError(w, ee.status, ee.code, ee.msg)
				return
			}
			writeJSON(w, http.StatusOK, out)
			return
		}
		res := map[string]any{"operations": steps, "success": err == nil}
		if err == nil {
			res["finalResult"] = out
		} else {
			var ee *execError
			errors.As(err, &ee)
			res["error"] = map[string]any{"status": ee.status, "code": ee.code, "message": ee.msg}
		}
		writeJSON(w, http.StatusOK, res)
	}
}

type execJob struct {
	client  *http.Client
	body    *ActionBody
	input   map[string]any
	headers http.Header
}

// prepare checks everything that needs the store; the caller holds s.mu.
func (s *Server) prepare(a *Action, b *ActionBody, input map[string]any, orgID string) (*execJob, error) {
	in, ok := s.data.integrations.get(a.IntegrationID)
	if !ok {
		return nil, &execError{http.StatusBadRequest, "bad.request", "the action's integration " + a.IntegrationID + " no longer exists"}
	}
	if in.IntendedState != "ENABLED" {
		return nil, &execError{http.StatusBadRequest, "bad.request", "integration " + in.Name + " is not enabled"}
	}
	if p := checkInput(b.Contract.Input.InputSchema, input); p != "" {
		return nil, &execError{http.StatusBadRequest, "bad.request", "input does not match the contract: " + p}
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	h.Set("ININ-Organization-Id", orgID)
	h.Set("ININ-Home-Organization-Id", orgID)
	h.Set("ININ-Correlation-Id", newUUID())
	if ref, ok := in.Config.Credentials["basicAuth"].(map[string]any); ok {
		id, _ := ref["id"].(string)
		c, ok := s.data.credentials.get(id)
		if !ok {
			return nil, &execError{http.StatusBadRequest, "bad.request", "the integration's basicAuth credential " + id + " does not exist"}
		}
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.Fields["userName"]+":"+c.Fields["password"])))
	}
	if b.Config.Request != nil {
		for k, v := range b.Config.Request.Headers {
			h.Set(k, render(v, input))
		}
	}
	return &execJob{client: &http.Client{Timeout: actionTimeout(b)}, body: b, input: input, headers: h}, nil
}

// checkInput applies the parts of a draft-04 input schema flows rely on:
// required properties and the scalar types of given ones.
func checkInput(schema map[string]any, input map[string]any) string {
	req, _ := schema["required"].([]any)
	for _, n := range req {
		name, _ := n.(string)
		if _, ok := input[name]; !ok {
			return "required property " + name + " is missing"
		}
	}
	props, _ := schema["properties"].(map[string]any)
	for name, v := range input {
		p, _ := props[name].(map[string]any)
		want, _ := p["type"].(string)
		ok := true
		switch want {
		case "string":
			_, ok = v.(string)
		case "integer", "number":
			_, ok = v.(float64)
		case "boolean":
			_, ok = v.(bool)
		}
		if !ok {
			return "property " + name + " must be a " + want
		}
	}
	return ""
}

var tmplRef = regexp.MustCompile(`\$esc\.(url|jsonString)\(\$\{?input\.([A-Za-z0-9_]+)\}?\)|\$\{input\.([A-Za-z0-9_]+)\}|\$input\.([A-Za-z0-9_]+)`)

// render expands the template subset; like Velocity, a plain reference is
// not escaped: templates ask for $esc.url or $esc.jsonString.
func render(t string, input map[string]any) string {
	return tmplRef.ReplaceAllStringFunc(t, func(m string) string {
		sm := tmplRef.FindStringSubmatch(m)
		name := sm[2] + sm[3] + sm[4]
		var v string
		if name == "rawRequest" {
			raw, _ := json.Marshal(input)
			v = string(raw)
		} else {
			v = scalarString(input[name])
		}
		switch sm[1] {
		case "url":
			return url.QueryEscape(v)
		case "jsonString":
			q, _ := json.Marshal(v)
			return string(q[1 : len(q)-1])
		}
		return v
	})
}

func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

func (j *execJob) run(ctx context.Context) (any, []execStep, error) {
	rc := j.body.Config.Request
	method := strings.ToUpper(rc.RequestType)
	if method == "" {
		method = http.MethodGet
	}
	target := render(rc.RequestURLTemplate, j.input)
	var reqBody io.Reader
	if method != http.MethodGet && method != http.MethodDelete {
		tmpl := rc.RequestTemplate
		if tmpl == "" {
			tmpl = "${input.rawRequest}"
		}
		reqBody = strings.NewReader(render(tmpl, j.input))
	}
	steps := []execStep{{Step: 1, Name: "resolve request", Success: true, Result: map[string]any{"requestUri": target, "requestType": method}}}
	req, err := http.NewRequestWithContext(ctx, method, target, reqBody)
	if err != nil {
		return nil, steps, &execError{http.StatusBadRequest, "bad.request", "requestUrlTemplate does not give a URL: " + err.Error()}
	}
	req.Header = j.headers.Clone()
	resp, err := j.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return nil, append(steps, execStep{Step: 2, Name: "execute", Error: "timeout"}),
				&execError{http.StatusGatewayTimeout, "gateway.timeout", "The request to the remote endpoint timed out"}
		}
		return nil, append(steps, execStep{Step: 2, Name: "execute", Error: "unreachable"}),
			&execError{http.StatusBadGateway, "bad.gateway", "The remote endpoint could not be reached"}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 5<<20))
	if err != nil {
		return nil, steps, &execError{http.StatusBadGateway, "bad.gateway", "reading the remote answer failed"}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		code, _ := statusCode(resp.StatusCode)
		return nil, append(steps, execStep{Step: 2, Name: "execute", Error: resp.StatusCode}),
			&execError{resp.StatusCode, code, fmt.Sprintf("REST call for action execute failed. Message: Request to backend service failed. Response from web service: %s", bytes.TrimSpace(raw))}
	}
	var result any
	if err := json.Unmarshal(raw, &result); err != nil {
		return nil, steps, &execError{http.StatusBadRequest, "bad.request", "The remote endpoint answered with something that is not JSON (ACTION.REMOTE_ENDPOINT)"}
	}
	steps = append(steps, execStep{Step: 2, Name: "execute", Success: true, Result: result})
	out, err := translate(j.body.Config.Response, result, raw)
	if err != nil {
		return nil, append(steps, execStep{Step: 3, Name: "translate", Error: err.Error()}), err
	}
	return out, append(steps, execStep{Step: 3, Name: "translate", Success: true, Result: out}), nil
}

var tmplVar = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

func translate(rc *ResponseConfig, result any, raw []byte) (any, error) {
	if rc == nil {
		rc = &ResponseConfig{}
	}
	vals := map[string]string{"rawResult": string(raw)}
	for name, path := range rc.TranslationMap {
		v, ok := jsonPath(result, path)
		if !ok {
			def, has := rc.TranslationMapDefaults[name]
			if !has {
				return nil, &execError{http.StatusBadRequest, "bad.request", "Transform failed to process result using 'translationMap': no value at " + path + " for " + name + " and no default"}
			}
			vals[name] = def
			continue
		}
		enc, _ := json.Marshal(v)
		vals[name] = string(enc)
	}
	tmpl := rc.SuccessTemplate
	if tmpl == "" {
		tmpl = "${rawResult}"
	}
	text := tmplVar.ReplaceAllStringFunc(tmpl, func(m string) string {
		if v, ok := vals[m[2:len(m)-1]]; ok {
			return v
		}
		return m
	})
	var out any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		return nil, &execError{http.StatusBadRequest, "bad.request", "Transform failed: successTemplate did not give JSON: " + text}
	}
	return out, nil
}

// jsonPath evaluates $, .name, ['name'] and [N] steps; false when a step
// finds nothing (a JSON null is a value, as the response docs say).
func jsonPath(v any, path string) (any, bool) {
	p, ok := strings.CutPrefix(strings.TrimSpace(path), "$")
	if !ok {
		return nil, false
	}
	for p != "" {
		switch {
		case strings.HasPrefix(p, "."):
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			m, isMap := v.(map[string]any)
			if !isMap {
				return nil, false
			}
			if v, ok = m[p[:end]]; !ok {
				return nil, false
			}
			p = p[end:]
		case strings.HasPrefix(p, "['"):
			end := strings.Index(p, "']")
			m, isMap := v.(map[string]any)
			if end < 0 || !isMap {
				return nil, false
			}
			if v, ok = m[p[2:end]]; !ok {
				return nil, false
			}
			p = p[end+2:]
		case strings.HasPrefix(p, "["):
			end := strings.Index(p, "]")
			arr, isArr := v.([]any)
			if end < 0 || !isArr {
				return nil, false
			}
			i, err := strconv.Atoi(p[1:end])
			if err != nil || i < 0 || i >= len(arr) {
				return nil, false
			}
			v, p = arr[i], p[end+1:]
		default:
			return nil, false
		}
	}
	return v, true
}
