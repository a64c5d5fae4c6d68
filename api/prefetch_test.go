package api

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
)

// waitingVerifier verifies "good" only once the method's prefetch has
// started: if dispatch started the prefetch after verification, it would
// never answer.
type waitingVerifier struct{ started <-chan struct{} }

func (v waitingVerifier) Verify(ctx context.Context, token string) (*Caller, error) {
	select {
	case <-v.started:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if token != "good" {
		return nil, Unauthorized("token not valid")
	}
	return &Caller{ID: "u1", Name: "Ann", OrgID: "org1"}, nil
}

// A method's Prefetch runs while the caller's token is verified, with that
// token; the handler runs only for a verified caller.
func TestPrefetchOverlapsVerification(t *testing.T) {
	var handled, prefetched atomic.Int64
	var started chan struct{}
	var gotToken atomic.Value
	s, _ := newTestServer(t, func(o *Options) {
		o.Verifier = waitingVerifier{started: nil}
		o.Methods = append(o.Methods, Method{Name: "Pop", ReadOnly: true,
			Prefetch: func(_ context.Context, c *Call, token string) {
				gotToken.Store(token)
				prefetched.Add(1)
				close(started)
			},
			Handle: func(context.Context, *Call) (any, error) { handled.Add(1); return "ok", nil }})
	})
	call := func(token string) int {
		started = make(chan struct{})
		s.opts.Verifier = waitingVerifier{started: started}
		return do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Pop", `{}`,
			map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}).Code
	}
	if code := call("good"); code != http.StatusOK || handled.Load() != 1 || gotToken.Load() != "good" {
		t.Fatalf("verified: %d, handled %d, prefetch token %v", code, handled.Load(), gotToken.Load())
	}
	if code := call("forged"); code != http.StatusUnauthorized || handled.Load() != 1 || prefetched.Load() != 2 {
		t.Fatalf("refused: %d, handled %d, prefetched %d; the handler must not run", code, handled.Load(), prefetched.Load())
	}
}

// cachingVerifier answers "hit" and "refused" from its cache and counts
// the calls that had to go to Verify.
type cachingVerifier struct{ verified *atomic.Int64 }

func (v cachingVerifier) Verify(_ context.Context, token string) (*Caller, error) {
	v.verified.Add(1)
	if token == "fresh" {
		return &Caller{ID: "u2", OrgID: "org1"}, nil
	}
	return nil, Unauthorized("token not valid")
}

func (v cachingVerifier) Cached(token string) (*Caller, error, bool) {
	switch token {
	case "hit":
		return &Caller{ID: "u1", OrgID: "org1"}, nil, true
	case "refused":
		return nil, Unauthorized("token not valid"), true
	}
	return nil, nil, false
}

// A CachedVerifier's hit is the caller, with no call to Verify; a cached
// refusal is a 401 that counts against the address like any other; a miss
// goes to Verify.
func TestCachedVerifierSkipsVerify(t *testing.T) {
	var verified atomic.Int64
	var who atomic.Value
	s, _ := newTestServer(t, func(o *Options) {
		o.Verifier = cachingVerifier{verified: &verified}
		o.Methods = append(o.Methods, Method{Name: "Who", ReadOnly: true,
			Handle: func(_ context.Context, c *Call) (any, error) {
				who.Store(c.Caller.ID + " " + c.Caller.Token)
				return "ok", nil
			}})
	})
	call := func(token string) int {
		return do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Who", `{}`,
			map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}).Code
	}
	if code := call("hit"); code != http.StatusOK || verified.Load() != 0 || who.Load() != "u1 hit" {
		t.Fatalf("hit: %d, Verify called %d times, caller %v", code, verified.Load(), who.Load())
	}
	if code := call("fresh"); code != http.StatusOK || verified.Load() != 1 || who.Load() != "u2 fresh" {
		t.Fatalf("miss: %d, Verify called %d times, caller %v", code, verified.Load(), who.Load())
	}
	for i := range failedVerifyBurst {
		if code := call("refused"); code != http.StatusUnauthorized {
			t.Fatalf("cached refusal %d: %d, want 401", i, code)
		}
	}
	if code := call("hit"); code != http.StatusTooManyRequests {
		t.Fatalf("after %d cached refusals from one address: %d, want 429 (they count as failed verifications)", failedVerifyBurst, code)
	}
	if verified.Load() != 1 {
		t.Fatalf("Verify called %d times, want 1 (the miss)", verified.Load())
	}
}
