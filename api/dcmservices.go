package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dcmconnect/genesys"
	"dcmconnect/internal/deadline"
)

// Caller is the verified Genesys user behind a request.
type Caller struct {
	ID, Name, Email, OrgID string
	Permissions            []string
	// Groups are the Genesys groups the caller belongs to.
	Groups []Group
	// Token is the caller's own bearer, for the few calls made as the user
	// (click-to-dial, the wizard's install). Never logged, never stored.
	Token string `json:"-"`
}

// HasAnyPermission reports whether the caller holds one of perms, with
// Genesys's wildcard and division-scoped forms (genesys.PermissionGranted).
func (c *Caller) HasAnyPermission(perms []string) bool {
	return genesys.HasAnyPermission(c.Permissions, perms)
}

// Group is a Genesys group the caller belongs to.
type Group struct{ ID, Name string }

// InAnyGroup reports whether the caller belongs to one of groups, named by
// id or (case-insensitively) by name.
func (c *Caller) InAnyGroup(groups []string) bool {
	return slices.ContainsFunc(groups, func(want string) bool {
		return slices.ContainsFunc(c.Groups, func(g Group) bool {
			return want == g.ID || strings.EqualFold(strings.TrimSpace(want), g.Name)
		})
	})
}

// Verifier turns a browser bearer token into a Caller. It returns an *Error
// (401 bad token, 403 other org) or an upstream error.
type Verifier interface {
	Verify(ctx context.Context, bearer string) (*Caller, error)
}

// CachedVerifier is a Verifier that can answer from its cache alone; a hit
// then needs neither a goroutine nor a deadline of its own (most calls of a
// page are hits).
type CachedVerifier interface {
	Verifier
	// Cached is Verify's answer when it needs no upstream call; ok false
	// means Verify must be called.
	Cached(bearer string) (c *Caller, err error, ok bool)
}

// Method is one DCMServices.asmx operation.
type Method struct {
	Name string
	// Public methods need no bearer token (GetConfig only).
	Public bool
	// ReadOnly methods may also be called with GET and query parameters.
	ReadOnly bool
	// Allow, when set, decides whether a verified caller may use the method
	// (e.g. supervisors only); it returns a *Error (403) to refuse.
	Allow func(*Caller) error
	// Handle does the work; its result is sent as {"d": result}. Its ctx
	// ends with the method's budget.
	Handle func(ctx context.Context, call *Call) (any, error)
	// Prefetch, when set, starts reading what Handle will need with the
	// caller's token while that token is being verified, so the two
	// overlap; it returns nothing, and Handle runs only once the caller is
	// verified. It is not called for an address out of failed sign-ins.
	Prefetch func(ctx context.Context, call *Call, token string)
	// Budget, when set, shortens the method's deadline below the default
	// (just under the server's write timeout); it can never lengthen it.
	Budget time.Duration
	// Bounded says Handle returns soon after its ctx ends: it waits only in
	// calls that honour ctx (net/http requests made with it, a shared
	// login's wait, retry backoff). run then calls it on the request's own
	// goroutine; otherwise Handle runs in a goroutine of its own that run
	// abandons at the deadline, so that the page gets its answer in time
	// even from a handler that does not honour ctx (see within).
	Bounded bool
	// OwnDeadline says Handle ends each of its waits by the method's
	// deadline itself, which its ctx then carries as a value
	// (internal/deadline) without being ended by it: dispatch sets no timer
	// for the budget, and the appbase client's context for an attempt, made
	// at the earlier of its own timeout and the budget, is the call's only
	// one. Such a Handle runs as a Bounded one. Not for calls with an
	// Idempotency-Key or a Prefetch (they wait on ctx in dispatch): those
	// get the budget's context as any method.
	OwnDeadline bool
}

// encodedResult is a method result written as its whole answer body
// already, {"d": result} exactly as json.Marshal would have written it; run
// sends it as it is (a proxied rule's rows are the bulk of its answer).
type encodedResult []byte

// Call is one invocation: who asked and with which parameters.
type Call struct {
	Caller    *Caller
	RequestID string
	params    map[string]json.RawMessage
}

// NewCall builds a Call from parameters, for tests and in-process callers.
func NewCall(caller *Caller, params map[string]any) (*Call, error) {
	raw := map[string]json.RawMessage{}
	for k, v := range params {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		raw[k] = b
	}
	return &Call{Caller: caller, params: raw}, nil
}

// String returns a string parameter; a missing required one is a 400 that
// names the field.
func (c *Call) String(name string, required bool) (string, error) {
	raw, ok := c.lookup(name)
	if !ok || string(raw) == "null" {
		if required {
			return "", BadRequest(fmt.Sprintf("parameter %q is required", name))
		}
		return "", nil
	}
	s, ok := plainString(raw)
	if !ok {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", BadRequest(fmt.Sprintf("parameter %q must be a string", name))
		}
	}
	if required && strings.TrimSpace(s) == "" {
		return "", BadRequest(fmt.Sprintf("parameter %q must not be empty", name))
	}
	return s, nil
}

// plainString is the value of a JSON string literal of printable ASCII
// without escapes, which is what json.Unmarshal would give, without its
// reflection; ok is false for anything else (decode it properly).
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(in), true
}

// Decode unmarshals parameter name into v; a type mismatch is a 400 naming it.
func (c *Call) Decode(name string, v any, required bool) error {
	raw, ok := c.lookup(name)
	if !ok || string(raw) == "null" {
		if required {
			return BadRequest(fmt.Sprintf("parameter %q is required", name))
		}
		return nil
	}
	if p, ok := v.(*map[string]json.RawMessage); ok {
		// An object parameter handed on as it is (ExecuteRule's
		// "parameters"): split, not decoded.
		if m, ok := objectMembers(raw); ok {
			if *p == nil {
				*p = m
				return nil
			}
			maps.Copy(*p, m)
			return nil
		}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return BadRequest(fmt.Sprintf("parameter %q: %s", name, jsonProblem(err)))
	}
	return nil
}

// lookup matches parameter names case-insensitively, as ASMX did.
func (c *Call) lookup(name string) (json.RawMessage, bool) {
	if raw, ok := c.params[name]; ok {
		return raw, true
	}
	for k, raw := range c.params {
		if strings.EqualFold(k, name) {
			return raw, true
		}
	}
	return nil, false
}

// indexMethods keys each method by its lower-case name and by its own
// spelling, which pages use: that lookup needs no lower-casing. No two
// methods' keys can meet (an exact key with upper case is no lower-case key).
func indexMethods(ms []Method) (map[string]Method, error) {
	out := map[string]Method{}
	for _, m := range ms {
		if m.Name == "" || m.Handle == nil {
			return nil, errors.New("api: method without name or handler")
		}
		if _, dup := out[strings.ToLower(m.Name)]; dup {
			return nil, fmt.Errorf("api: method %s registered twice", m.Name)
		}
		out[strings.ToLower(m.Name)] = m
	}
	for _, m := range ms {
		out[m.Name] = m
	}
	return out, nil
}

func (s *Server) builtin(name string) (Method, bool) {
	if strings.EqualFold(name, "GetConfig") {
		return Method{Name: "GetConfig", Public: true, ReadOnly: true,
			Handle: func(context.Context, *Call) (any, error) { return s.opts.PageConfig, nil }}, true
	}
	if m, ok := s.methods[name]; ok {
		return m, true
	}
	m, ok := s.methods[strings.ToLower(name)]
	return m, ok
}

// dispatch runs /DCMServices.asmx/<Method>: find it, authenticate, authorise,
// decode parameters, run it, and wrap the result in the ASMX envelope.
func (s *Server) dispatch(c *gin.Context) {
	m, ok := s.builtin(c.Param("method"))
	if !ok {
		writeASMXError(c, NotFound(fmt.Sprintf("unknown method %q", c.Param("method"))))
		return
	}
	if c.Request.Method == http.MethodGet && !m.ReadOnly {
		writeASMXError(c, &Error{Status: http.StatusMethodNotAllowed, Message: m.Name + " changes data: use POST"})
		return
	}
	call := &Call{RequestID: requestIDOf(c)}
	var err error
	if call.params, err = readParams(c); err != nil {
		s.fail(c, m, err)
		return
	}
	budget := s.budget(m)
	key := c.GetHeader(IdempotencyHeader)
	idempotent := key != "" && !m.ReadOnly && !m.Public
	var ctx context.Context
	if m.OwnDeadline && !idempotent && m.Prefetch == nil {
		// Verification's own share still sets its timer (authenticate),
		// and only when the cache does not answer.
		ctx = deadline.Pass(c.Request.Context(), time.Now().Add(budget))
	} else {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(c.Request.Context(), budget)
		defer cancel()
	}
	if !m.Public {
		ip := clientIP(c)
		if m.Prefetch != nil {
			if token, err := bearerToken(c.GetHeader("Authorization")); err == nil && s.opts.Verifier != nil && s.failedVerify.check(ip) == nil {
				m.Prefetch(ctx, call, token)
			}
		}
		if call.Caller, err = s.authenticate(ctx, c, ip, budget); err != nil {
			s.fail(c, m, err)
			return
		}
		if m.Allow != nil {
			if err := m.Allow(call.Caller); err != nil {
				s.fail(c, m, err)
				return
			}
		}
	}
	c.Writer.Header()["Cache-Control"] = noStore
	if !idempotent {
		s.write(c, m, s.run(ctx, m, call, budget))
		return
	}
	if err := checkKey(key); err != nil {
		s.fail(c, m, err)
		return
	}
	// The action runs to its end even if the page gives up, so that the
	// page's retry (same key) gets its answer instead of doing it twice.
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), budget)
	defer wcancel()
	scope := call.Caller.ID + "\n" + strings.ToLower(m.Name) + "\n" + key
	ans, replayed := s.replays.do(ctx, scope, fingerprint(m.Name, call.params), func() answer { return s.run(wctx, m, call, budget) })
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	s.write(c, m, ans)
}

// run calls the method within ctx (its budget) and maps the outcome.
func (s *Server) run(ctx context.Context, m Method, call *Call, budget time.Duration) answer {
	var (
		result any
		err    error
		late   bool
	)
	if m.Bounded || m.OwnDeadline {
		result, err = handleBounded(ctx, m, call)
	} else {
		result, err, late = within(ctx, s.margin()/2, func(ctx context.Context) (any, error) { return m.Handle(ctx, call) })
	}
	var pe *panicError
	if errors.As(err, &pe) {
		s.log.Error("panic in handler", "request_id", call.RequestID, "method", m.Name, "panic", pe.value, "stack", string(pe.stack))
		return answer{err: &Error{Status: http.StatusInternalServerError, Message: "internal error; see the server log for request " + call.RequestID}}
	}
	if err != nil {
		if late && errors.Is(err, context.DeadlineExceeded) {
			err = overBudget(m.Name, budget, err)
		}
		return answer{err: s.mapError(call.RequestID, m, err)}
	}
	if enc, ok := result.(encodedResult); ok {
		return answer{body: enc}
	}
	body, err := json.Marshal(map[string]any{"d": result})
	if err != nil {
		return answer{err: s.mapError(call.RequestID, m, &Error{Status: http.StatusInternalServerError, Message: "the result could not be encoded", Err: err})}
	}
	return answer{body: body}
}

func (s *Server) write(c *gin.Context, m Method, a answer) {
	if a.err != nil {
		writeASMXError(c, a.err)
		return
	}
	s.writeResult(c, a.body)
}

// authenticate verifies the bearer token within its own short share of the
// method's budget; ip is the caller's address (clientIP), which failed
// verifications are counted by.
func (s *Server) authenticate(ctx context.Context, c *gin.Context, ip string, budget time.Duration) (*Caller, error) {
	token, err := bearerToken(c.GetHeader("Authorization"))
	if err != nil {
		return nil, err
	}
	if s.opts.Verifier == nil {
		return nil, &Error{Status: http.StatusServiceUnavailable, Message: "token verification is not configured"}
	}
	if err := s.failedVerify.check(ip); err != nil {
		return nil, err
	}
	var caller *Caller
	cached := false
	if cv, ok := s.opts.Verifier.(CachedVerifier); ok {
		caller, err, cached = cv.Cached(token)
	}
	if !cached {
		vb := verifyBudget(budget)
		vctx, cancel := context.WithTimeout(ctx, vb)
		defer cancel()
		var late bool
		caller, err, late = within(vctx, s.margin()/2, func(ctx context.Context) (*Caller, error) { return s.opts.Verifier.Verify(ctx, token) })
		if err != nil && (late && errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) && vctx.Err() != nil && ctx.Err() == nil) {
			return nil, overBudget("verifying your Genesys Cloud sign-in", vb, err)
		}
	}
	if err != nil {
		if httpError(err, fromToken).Status == http.StatusUnauthorized {
			s.failedVerify.failed(ip)
		}
		return nil, err
	}
	caller.Token = token
	return caller, nil
}

// fail writes err as an ASMX error; anything not already an *Error is treated
// as an upstream failure (502/503/504).
func (s *Server) fail(c *gin.Context, m Method, err error) {
	writeASMXError(c, s.mapError(requestIDOf(c), m, err))
}

func (s *Server) mapError(requestID string, m Method, err error) *Error {
	e := httpError(err, fromUnknown)
	if e.Status >= 500 {
		s.log.Warn("dcmservices call failed", "request_id", requestID,
			"method", m.Name, "status", e.Status, "error", err.Error())
	}
	return e
}

// readParams takes the JSON object body of a POST, or the query of a GET
// (each value as a JSON string; the last one when a name repeats).
func readParams(c *gin.Context) (map[string]json.RawMessage, error) {
	params := map[string]json.RawMessage{}
	if c.Request.Method == http.MethodGet {
		for k, vs := range c.Request.URL.Query() {
			b, _ := json.Marshal(vs[len(vs)-1])
			params[k] = b
		}
		return params, nil
	}
	body, err := readKnownBody(c.Request)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge, Message: "request body too large"}
		}
		return nil, BadRequest("could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return params, nil
	}
	ct := c.ContentType()
	if ct != "" && !slices.Contains([]string{"application/json", "text/json", "text/plain"}, ct) {
		return nil, &Error{Status: http.StatusUnsupportedMediaType, Message: "send parameters as a JSON object with Content-Type: application/json"}
	}
	if m, ok := objectMembers(body); ok {
		return m, nil
	}
	if err := json.Unmarshal(body, &params); err != nil {
		return nil, BadRequest("the request body is not a JSON object of parameters: " + jsonProblem(err))
	}
	return params, nil
}

// readKnownBody reads a request's body. One of a known length (front has
// refused any over the limit), as the pages send them, is read into a
// buffer of that length instead of ReadAll's growing one and a read for EOF;
// a larger or chunked one as it comes.
func readKnownBody(r *http.Request) ([]byte, error) {
	if n := r.ContentLength; n > 0 && n <= 64<<10 {
		b := make([]byte, n)
		if _, err := io.ReadFull(r.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return io.ReadAll(r.Body)
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type, te.Value)
		}
		return fmt.Sprintf("expected %s, got %s", te.Type, te.Value)
	}
	return err.Error()
}

// gzipResultsOver: results larger than this are gzipped for clients that
// accept it (the user-map report for thousands of users is megabytes of JSON).
const gzipResultsOver = 8 << 10

// writeResult sends body ({"d": result}), gzipped when it is large and the
// client accepts gzip.
func (s *Server) writeResult(c *gin.Context, body []byte) {
	h := c.Writer.Header()
	h["Vary"] = varyAcceptEncoding
	if len(body) > gzipResultsOver && acceptsGzip(c.GetHeader("Accept-Encoding")) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(body)
		_ = zw.Close()
		h["Content-Encoding"] = gzipEncoding
		body = buf.Bytes()
	}
	h["Content-Type"] = jsonUTF8 // as c.Data would, without a slice per call
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(body)
}

// Header values every DCMServices answer carries, shared by all responses:
// net/http copies them when it writes the header, and a length = capacity
// slice makes any Add copy too, so none is ever written into.
var (
	noStore            = []string{"no-store"}
	varyAcceptEncoding = []string{"Accept-Encoding"}
	gzipEncoding       = []string{"gzip"}
	jsonUTF8           = []string{"application/json; charset=utf-8"}
)
