package interactions

import (
	"fmt"
	"strings"
	"time"
)

// SyncSummary describes one run; `dcmconnect sync interactions` prints
// String() or, with --json, the JSON form.
type SyncSummary struct {
	Started         time.Time `json:"started"`
	Finished        time.Time `json:"finished"`
	DurationSeconds float64   `json:"durationSeconds"`
	OK              bool      `json:"ok"`
	Error           string    `json:"error,omitempty"`
	// Since is the --since window (0 for a normal run).
	Since time.Duration `json:"-"`
	// From and To bound the conversation start times this run queried and
	// logged, over all its windows: To is the end of the last window done,
	// now-Lag unless the run stopped early (a failure, or More).
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// Windows is how many QueryWindow chunks the run logged (and, unless a
	// --since run inside the watermark, stored the state after).
	Windows int `json:"windows"`
	// More: the run stopped at MaxWindowsPerRun; conversations started after
	// To are left for the next run, which starts from the stored state.
	More bool `json:"more,omitempty"`
	// Conversations is how many conversations the run looked at.
	Conversations  int `json:"conversations"`
	Final          int `json:"final"`          // written with their final data
	AwaitingWrapup int `json:"awaitingWrapup"` // ended, written, waiting for a wrap-up or for its agent to be mapped
	Open           int `json:"open"`           // not ended; not written
	StuckOpen      int `json:"stuckOpen"`      // open past maxOpenAge; written as it stands, no longer pending
	Unchanged      int `json:"unchanged"`      // same as written before; skipped
	Failed         int `json:"failed"`         // could not be written; pending
	Dropped        int `json:"dropped"`        // pending too long, no longer in analytics
	Late           int `json:"late"`           // shown by analytics only after the watermark passed their start (found in the overlap); logged
	UnmappedAgents int `json:"unmappedAgents"` // written without the agent
	Pending        int `json:"pending"`        // conversations the next run fetches by id
	// PreviousWatermark and Watermark are the stored watermark before and
	// after (Watermark: as last stored by this run, after its last window
	// that could be stored). StateSaved is false when the state after the
	// run's last window was not (or could not be) stored; the next run then
	// starts from Watermark, or PreviousWatermark when it is zero.
	PreviousWatermark time.Time `json:"previousWatermark"`
	Watermark         time.Time `json:"watermark,omitzero"`
	StateSaved        bool      `json:"stateSaved"`
}

// String is the human summary, e.g.
//
//	interaction sync ok in 0.42s: 12 conversations started 2024-05-01T10:00:00Z..2024-05-01T10:05:00Z: 10 final, 1 awaiting wrap-up, 1 open; 2 pending; watermark 2024-05-01T10:05:00Z
func (s SyncSummary) String() string {
	var b strings.Builder
	state := "ok"
	if !s.OK {
		state = "FAILED"
	}
	fmt.Fprintf(&b, "interaction sync %s in %.2fs: %d conversations started %s..%s: %d final, %d awaiting wrap-up, %d open",
		state, s.DurationSeconds, s.Conversations, s.From.UTC().Format(time.RFC3339), s.To.UTC().Format(time.RFC3339), s.Final, s.AwaitingWrapup, s.Open)
	for _, x := range []struct {
		n    int
		what string
	}{{s.StuckOpen, "open too long (logged as they stand)"}, {s.Unchanged, "unchanged"}, {s.Failed, "failed"}, {s.Dropped, "dropped"}, {s.Late, "late in analytics (logged)"}, {s.UnmappedAgents, "without a mapped agent"}} {
		if x.n > 0 {
			fmt.Fprintf(&b, ", %d %s", x.n, x.what)
		}
	}
	fmt.Fprintf(&b, "; %d pending", s.Pending)
	switch {
	case s.StateSaved:
		fmt.Fprintf(&b, "; watermark %s", s.Watermark.UTC().Format(time.RFC3339))
	case !s.Watermark.IsZero():
		fmt.Fprintf(&b, "; watermark %s (the last window's state not stored)", s.Watermark.UTC().Format(time.RFC3339))
	default:
		fmt.Fprintf(&b, "; watermark not moved (%s)", s.PreviousWatermark.UTC().Format(time.RFC3339))
	}
	if s.More {
		fmt.Fprintf(&b, "; %d windows done, more to catch up in the next run", s.Windows)
	}
	if s.Error != "" {
		b.WriteString(": ")
		b.WriteString(s.Error)
	}
	return b.String()
}
