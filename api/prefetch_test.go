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
