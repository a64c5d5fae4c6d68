package usermap

import (
	"fmt"
	"strings"
	"time"

	"dcmconnect/internal/periodic"
)

// Summary describes one sync run; `dcmconnect sync users` prints String() or,
// with --json, the JSON form.
type Summary struct {
	Started         time.Time      `json:"started"`
	Finished        time.Time      `json:"finished"`
	Duration        time.Duration  `json:"-"`
	DurationSeconds float64        `json:"durationSeconds"`
	OK              bool           `json:"ok"`
	Error           string         `json:"error,omitempty"`
	MapUpdated      bool           `json:"mapUpdated"` // false: the previous map stayed in service
	GenesysUsers    int            `json:"genesysUsers"`
	SJUsers         int            `json:"serviceJourneyUsers"`
	Ignored         int            `json:"ignored"`
	Counts          map[Status]int `json:"counts"` // entries (a matched pair is one)
	GenesysCounts   map[Status]int `json:"genesysCounts"`
	SJCounts        map[Status]int `json:"serviceJourneyCounts"`
	WriteBack       bool           `json:"writeBack"`
	Written         int            `json:"written"`
}

// String is the human summary, e.g.
//
//	user sync ok in 2.31s: 1000 Genesys users (500 explicit, 400 email, 80 unmatched, 20 conflict); 990 ServiceJourney users (...); write-back: 400 written
func (s Summary) String() string {
	var b strings.Builder
	if s.OK {
		fmt.Fprintf(&b, "user sync ok in %s", s.Duration.Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "user sync FAILED after %s: %s", s.Duration.Round(time.Millisecond), s.Error)
		if !s.MapUpdated {
			b.WriteString("; the previous map stays in service")
			return b.String()
		}
	}
	sep := ": "
	if !s.OK {
		sep = "; "
	}
	fmt.Fprintf(&b, "%s%d Genesys users (%s); %d ServiceJourney users (%s)", sep,
		s.GenesysUsers, countsText(s.GenesysCounts), s.SJUsers, countsText(s.SJCounts))
	if s.Ignored > 0 {
		fmt.Fprintf(&b, "; %d records ignored (empty or repeated id)", s.Ignored)
	}
	if s.WriteBack {
		fmt.Fprintf(&b, "; write-back: %d written", s.Written)
	}
	return b.String()
}

func countsText(c map[Status]int) string {
	parts := make([]string, 0, len(Statuses))
	for i := len(Statuses) - 1; i >= 0; i-- { // explicit, email, unmatched, conflict
		parts = append(parts, fmt.Sprintf("%d %s", c[Statuses[i]], Statuses[i]))
	}
	if n := c[StatusIgnored]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d ignored by a supervisor", n))
	}
	return strings.Join(parts, ", ")
}

// RunStatus is what the supervisor page shows about the job.
type RunStatus = periodic.Status[Summary]
