package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	gocache "github.com/patrickmn/go-cache"
)

// IdempotencyHeader carries the page's key for one user action (one click
// of "dial", one log write). A retry of the same action re-sends the same key.
const IdempotencyHeader = "Idempotency-Key"

const (
	// replayWindow is how long a write's answer is kept for replays: longer
	// than any browser or proxy retry of a lost answer.
	replayWindow = 10 * time.Minute
	// maxReplays bounds the memory kept for answers; past it writes run
	// without replay protection (and say so in the log) rather than fail.
	maxReplays = 100_000
	// maxKeyLen: a UUID is 36 characters.
	maxKeyLen = 128
)

// answer is what a method call produced, kept for replays.
type answer struct {
	body []byte // {"d": result} on success
	err  *Error // the mapped failure otherwise
}

// replayEntry is one action: the first request runs it, replays wait for
// done and get its answer.
type replayEntry struct {
	fingerprint [32]byte
	done        chan struct{}
	ans         answer
}

// replays remembers write answers by caller, method and idempotency key.
type replays struct {
	mu    sync.Mutex
	cache *gocache.Cache
}

func newReplays() *replays { return &replays{cache: gocache.New(replayWindow, time.Minute)} }

// checkKey accepts a short plain key (a UUID, or any run of letters, digits
// and -_.:).
func checkKey(k string) error {
	if len(k) > maxKeyLen || strings.ContainsFunc(k, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:", r))
	}) {
		return BadRequest(fmt.Sprintf("header %s must be at most %d letters, digits or -_.: (e.g. a UUID), one per user action", IdempotencyHeader, maxKeyLen))
	}
	return nil
}

func fingerprint(method string, params map[string]json.RawMessage) [32]byte {
	b, _ := json.Marshal(params) // map keys sorted: the same request gives the same bytes
	return sha256.Sum256(append([]byte(strings.ToLower(method)+"\n"), b...))
}

// do runs the action once per scope within the window. A replay of a
// finished action gets its answer without running it; a replay of one still
// running waits for it (until ctx ends: then a 504 saying so). A key reused
// for a different request is a 400.
func (r *replays) do(ctx context.Context, scope string, fp [32]byte, run func() answer) (answer, bool) {
	r.mu.Lock()
	if v, ok := r.cache.Get(scope); ok {
		r.mu.Unlock()
		e := v.(*replayEntry)
		if e.fingerprint != fp {
			return answer{err: BadRequest(fmt.Sprintf("this %s was already used for a different request; send a new key for a new action", IdempotencyHeader))}, true
		}
		select {
		case <-e.done:
			return e.ans, true
		case <-ctx.Done():
			return answer{err: &Error{Status: http.StatusGatewayTimeout,
				Message: "the first request for this action is still running; try again in a moment", Err: ctx.Err()}}, true
		}
	}
	if r.cache.ItemCount() >= maxReplays {
		r.mu.Unlock()
		return run(), false
	}
	e := &replayEntry{fingerprint: fp, done: make(chan struct{})}
	r.cache.Set(scope, e, replayWindow)
	r.mu.Unlock()
	e.ans = run()
	close(e.done)
	return e.ans, false
}
