package retry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

func TestBackoffDoublesJitteredAndCapped(t *testing.T) {
	p := Policy{Base: 500 * time.Millisecond, Max: 10 * time.Second}
	for range 1000 {
		for n, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
			if d := p.Backoff(n); d < want/2 || d >= want {
				t.Fatalf("Backoff(%d) = %v, want in [%v, %v)", n, d, want/2, want)
			}
		}
		if d := p.Backoff(1000); d < 5*time.Second || d >= 10*time.Second {
			t.Fatalf("huge attempt: %v (shift overflow must cap, not wrap)", d)
		}
	}
}

func TestBackoffSpreads(t *testing.T) {
	p := Policy{Base: time.Second, Max: time.Minute}
	seen := map[time.Duration]bool{}
	for range 100 {
		seen[p.Backoff(0)] = true
	}
	if len(seen) < 10 {
		t.Fatalf("100 waits took only %d values: not jittered", len(seen))
	}
}

func TestJitterHookPinsTheWait(t *testing.T) {
	p := Policy{Base: time.Second, Max: 3 * time.Second, Jitter: func(d time.Duration) time.Duration { return d }}
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} {
		if d := p.Backoff(n); d != want {
			t.Fatalf("Backoff(%d) = %v, want %v", n, d, want)
		}
	}
}

func TestNextCountsRetries(t *testing.T) {
	p := Policy{Base: time.Millisecond, Max: time.Second, MaxRetries: 2}
	for n := range 2 {
		if _, err := p.Next(t.Context(), n, 0); err != nil {
			t.Fatalf("retry %d refused: %v", n, err)
		}
	}
	if _, err := p.Next(t.Context(), 2, 0); !errors.Is(err, ErrExhausted) {
		t.Fatalf("third retry: %v, want ErrExhausted", err)
	}
	if _, err := (Policy{}).Next(t.Context(), 0, 0); !errors.Is(err, ErrExhausted) {
		t.Fatalf("no retries configured: %v", err)
	}
}

func TestNextHonoursRetryAfterWithinCap(t *testing.T) {
	p := Policy{Base: time.Millisecond, Max: time.Second, MaxRetries: 3, RetryAfterCap: time.Minute}
	if d, err := p.Next(t.Context(), 0, 30*time.Second); err != nil || d != 30*time.Second {
		t.Fatalf("Retry-After 30s: %v %v", d, err)
	}
	if d, err := p.Next(t.Context(), 0, time.Minute); err != nil || d != time.Minute {
		t.Fatalf("Retry-After at the cap: %v %v", d, err)
	}
	if _, err := p.Next(t.Context(), 0, time.Minute+time.Second); !errors.Is(err, ErrRetryAfterTooLong) {
		t.Fatalf("Retry-After past the cap: %v", err)
	}
	// Past the cap is reported even with no retries left: the caller says why it failed.
	if _, err := p.Next(t.Context(), 3, 2*time.Minute); !errors.Is(err, ErrRetryAfterTooLong) {
		t.Fatalf("cap before count: %v", err)
	}
}

func TestNextHonoursTheCallersDeadline(t *testing.T) {
	p := Policy{Base: time.Millisecond, Max: time.Second, MaxRetries: 3}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := p.Next(ctx, 0, 10*time.Second); !errors.Is(err, ErrPastDeadline) {
		t.Fatalf("Retry-After past the deadline: %v", err)
	}
	if d, err := p.Next(ctx, 0, time.Second); err != nil || d != time.Second {
		t.Fatalf("Retry-After within the deadline: %v %v", d, err)
	}
	slow := Policy{Base: time.Minute, Max: time.Hour, MaxRetries: 3}
	if _, err := slow.Next(ctx, 0, 0); !errors.Is(err, ErrPastDeadline) {
		t.Fatalf("backoff past the deadline: %v", err)
	}
}

func TestSleepEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context: %v", err)
	}
	if err := Sleep(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	for v, want := range map[string]time.Duration{"3": 3 * time.Second, "1.5": 1500 * time.Millisecond, "-4": 0, "1e300": 1e7 * time.Second} {
		if d, ok := ParseRetryAfter(http.Header{"Retry-After": {v}}); !ok || d != want {
			t.Errorf("%q: %v %v, want %v", v, d, ok, want)
		}
	}
	if d, ok := ParseRetryAfter(http.Header{"Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}); !ok || d < 58*time.Minute || d > time.Hour {
		t.Errorf("HTTP date: %v %v", d, ok)
	}
	for _, v := range []string{"", "soon", "NaN"} {
		if _, ok := ParseRetryAfter(http.Header{"Retry-After": {v}}); ok {
			t.Errorf("%q accepted", v)
		}
	}
}

// pinned is a policy with exact waits, recorded instead of slept.
func pinned(maxRetries int, waits *[]time.Duration) Policy {
	return Policy{Base: time.Second, Max: 4 * time.Second, MaxRetries: maxRetries,
		Jitter: func(d time.Duration) time.Duration { return d },
		Sleep: func(ctx context.Context, d time.Duration) error {
			*waits = append(*waits, d)
			return ctx.Err()
		}}
}

func TestDoRetriesUntilSuccess(t *testing.T) {
	var waits []time.Duration
	var told []string
	h := Hooks{Retrying: func(n int, wait time.Duration, o Outcome) {
		told = append(told, fmt.Sprintf("%d %v %s %v", n, wait, o.Reason, o.Err))
	}}
	boom := errors.New("boom")
	var tries []int
	err := Do(t.Context(), pinned(5, &waits), h, func(n int) Outcome {
		tries = append(tries, n)
		switch n {
		case 0:
			return Outcome{Err: boom, Retry: true, Reason: "5xx"}
		case 1:
			return Outcome{Err: boom, Retry: true, RetryAfter: 3 * time.Second, Reason: "429"}
		}
		return Outcome{}
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2}; !slices.Equal(tries, want) {
		t.Fatalf("tries %v, want %v", tries, want)
	}
	if want := []time.Duration{time.Second, 3 * time.Second}; !slices.Equal(waits, want) {
		t.Fatalf("waits %v, want the backoff then the Retry-After: %v", waits, want)
	}
	if want := []string{"0 1s 5xx boom", "1 3s 429 boom"}; !slices.Equal(told, want) {
		t.Fatalf("Retrying told %q, want %q", told, want)
	}
}

func TestDoStopsAtAFinalError(t *testing.T) {
	var waits []time.Duration
	final := errors.New("400")
	calls := 0
	err := Do(t.Context(), pinned(5, &waits), Hooks{GaveUp: func(err, why error) error {
		t.Fatalf("GaveUp(%v, %v) for an error that is not retryable", err, why)
		return nil
	}}, func(int) Outcome {
		calls++
		return Outcome{Err: final}
	})
	if err != final || calls != 1 || len(waits) != 0 {
		t.Fatalf("err %v after %d calls and waits %v; want the error at once", err, calls, waits)
	}
}

func TestDoGivesUpWhenThePolicyRefuses(t *testing.T) {
	boom := errors.New("boom")
	for name, c := range map[string]struct {
		ctx        func() context.Context
		retryAfter time.Duration
		calls      int
		why        error
	}{
		"exhausted":   {ctx: t.Context, calls: 3, why: ErrExhausted},
		"retry-after": {ctx: t.Context, retryAfter: time.Hour, calls: 1, why: ErrRetryAfterTooLong},
		"deadline": {ctx: func() context.Context {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			t.Cleanup(cancel)
			return ctx
		}, retryAfter: time.Minute, calls: 1, why: ErrPastDeadline},
	} {
		t.Run(name, func(t *testing.T) {
			var waits []time.Duration
			p := pinned(2, &waits)
			p.RetryAfterCap = 2 * time.Minute
			if c.why == ErrRetryAfterTooLong {
				p.RetryAfterCap = time.Minute
			}
			calls := 0
			var gotWhy error
			err := Do(c.ctx(), p, Hooks{GaveUp: func(err, why error) error {
				gotWhy = why
				return fmt.Errorf("worded: %w", err)
			}}, func(int) Outcome {
				calls++
				return Outcome{Err: boom, Retry: true, RetryAfter: c.retryAfter}
			})
			if !errors.Is(err, boom) || err.Error() != "worded: boom" {
				t.Fatalf("err %v, want GaveUp's wording of boom", err)
			}
			if calls != c.calls || !errors.Is(gotWhy, c.why) {
				t.Fatalf("%d calls, why %v; want %d, %v", calls, gotWhy, c.calls, c.why)
			}
		})
	}
	// Without GaveUp the error comes back as it is.
	var waits []time.Duration
	if err := Do(t.Context(), pinned(0, &waits), Hooks{}, func(int) Outcome {
		return Outcome{Err: boom, Retry: true}
	}); err != boom {
		t.Fatalf("err %v, want boom itself", err)
	}
}

func TestDoGivesUpWhenTheWaitIsCut(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	boom := errors.New("boom")
	calls := 0
	var why error
	p := Policy{Base: time.Hour, Max: time.Hour, MaxRetries: 3}
	err := Do(ctx, p, Hooks{
		Retrying: func(int, time.Duration, Outcome) { cancel() }, // the caller leaves during the wait
		GaveUp:   func(err, w error) error { why = w; return err },
	}, func(int) Outcome {
		calls++
		return Outcome{Err: boom, Retry: true}
	})
	if err != boom || calls != 1 || !errors.Is(why, context.Canceled) {
		t.Fatalf("err %v, %d calls, why %v; want boom after 1 call, context.Canceled", err, calls, why)
	}
}
