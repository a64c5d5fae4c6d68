package interactions

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"dcmconnect/genesys/genesystest"
)

const summariesRoute = "GET /api/v2/conversations/{conversationId}/summaries"

// virtualClock runs the follow-up's waits at once, moving time forward;
// appear runs when the clock first reaches at (the summary "arrives").
type virtualClock struct {
	mu     sync.Mutex
	t      time.Time
	at     time.Duration
	start  time.Time
	appear func()
}

func (c *virtualClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *virtualClock) after(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.t = c.t.Add(d)
	fire := c.appear != nil && c.t.Sub(c.start) >= c.at
	if fire {
		c.appear()
		c.appear = nil
	}
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- c.t
	return ch
}

// wrappedUp logs a conversation that ended and was wrapped up, with the
// follow-up's clock and its end reported on the channel returned.
func wrappedUp(t *testing.T, w *world, svc *Service, clk *virtualClock) <-chan string {
	t.Helper()
	done := make(chan string, 4)
	svc.now, svc.after = clk.now, clk.after
	svc.onSummary = func(id, outcome string) { done <- outcome }
	t0 := time.Now().UTC().Add(-10 * time.Minute)
	c := inbound(convOne, annID, aliceNum, nil, t0)
	end(&c, t0.Add(5*time.Minute))
	wrapUp(&c, resolved, "fixed it")
	w.g.AddConversation(c)
	if _, err := svc.LogInteraction(context.Background(), convOne, EventWrapup, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	return done
}

func outcome(t *testing.T, done <-chan string) string {
	t.Helper()
	select {
	case o := <-done:
		return o
	case <-time.After(10 * time.Second):
		t.Fatal("the summary follow-up did not end")
		return ""
	}
}

// The AI summary shows up 5 s after the wrap-up: the follow-up finds it
// and adds it to the record without touching the rest; asking again does
// nothing.
func TestSummaryThatAppearsAfterWrapupIsWritten(t *testing.T) {
	w := newWorld(t)
	svc := w.serviceWith(t, func(o *Options) { o.SummaryWait, o.SummaryRetry = time.Minute, 2*time.Second })
	start := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	clk := &virtualClock{t: start, start: start, at: 5 * time.Second, appear: func() {
		w.g.SetSummaries(convOne, genesystest.Summary{Text: "Router keeps rebooting; firmware updated.", Reason: "Router reboots",
			Resolution: "Firmware updated", Followup: "Call back Friday", Created: start.Add(5 * time.Second)})
	}}
	done := wrappedUp(t, w, svc, clk)
	if o := outcome(t, done); o != "written" {
		t.Fatalf("outcome %q; want written", o)
	}
	// Tries at 0, 2, 4 s found nothing; the one at 6 s found it.
	if n := w.g.Requests(summariesRoute); n != 4 {
		t.Errorf("%d summary reads; want 4", n)
	}
	rec, _ := w.sj.Interaction(convOne)
	want := map[string]string{"SUMMARY": "Router keeps rebooting; firmware updated.", "SUMMARYREASON": "Router reboots",
		"SUMMARYRESOLUTION": "Firmware updated", "SUMMARYFOLLOWUP": "Call back Friday"}
	for k, v := range want {
		if rec.Fields[k] != v {
			t.Errorf("%s = %q; want %q", k, rec.Fields[k], v)
		}
	}
	if rec.WrapupCode != resolved || rec.AgentUserID != "101" || rec.ANI != aliceNum || rec.Writes != 2 {
		t.Errorf("the summary write changed the record: %+v", rec)
	}
	// Done once: another wrap-up log does not wait again.
	if _, err := svc.LogInteraction(context.Background(), convOne, EventWrapup, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if n := w.g.Requests(summariesRoute); n != 4 {
		t.Errorf("%d summary reads after a second wrap-up log; want still 4", n)
	}
}

// No summary within the window: the follow-up gives up and the record
// stays as the wrap-up wrote it.
func TestNoSummaryWithinTheWindowMovesOn(t *testing.T) {
	w := newWorld(t)
	svc := w.serviceWith(t, func(o *Options) { o.SummaryWait, o.SummaryRetry = time.Minute, 5*time.Second })
	start := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	clk := &virtualClock{t: start, start: start, at: 2 * time.Minute, appear: func() {
		w.g.SetSummaries(convOne, genesystest.Summary{Text: "too late"})
	}}
	done := wrappedUp(t, w, svc, clk)
	if o := outcome(t, done); o != "none" {
		t.Fatalf("outcome %q; want none", o)
	}
	if n := w.g.Requests(summariesRoute); n != 13 { // at 0, 5, ..., 60 s
		t.Errorf("%d summary reads; want 13", n)
	}
	if rec, _ := w.sj.Interaction(convOne); rec.Fields["SUMMARY"] != "" || rec.Writes != 1 {
		t.Errorf("record after giving up: %+v", rec)
	}
}

// An admin who maps the summary off gets no follow-up at all.
func TestSummaryOffNoReads(t *testing.T) {
	w := newWorld(t)
	svc := w.serviceWith(t, func(o *Options) {
		o.Fields = map[string]string{"SUMMARY": "off", "SUMMARYREASON": "off", "SUMMARYRESOLUTION": "off", "SUMMARYFOLLOWUP": "off"}
	})
	start := time.Now()
	wrappedUp(t, w, svc, &virtualClock{t: start, start: start})
	if n := w.g.Requests(summariesRoute); n != 0 {
		t.Errorf("%d summary reads; want none", n)
	}
}

func TestSummaryValuesPreferTheEditAndCapTheText(t *testing.T) {
	long := strings.Repeat("x", maxSummaryChars+500)
	got := clipText(long, maxSummaryChars)
	if n := len([]rune(got)); n != maxSummaryChars || !strings.HasSuffix(got, "[... truncated by dcmconnect: 4500 characters in all ...]") {
		t.Errorf("clipped to %d characters, ending %q", n, got[len(got)-60:])
	}
	if clipText("short", 10) != "short" {
		t.Error("a short text was changed")
	}
}
