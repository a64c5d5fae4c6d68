package interactions

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"dcmconnect/appbase"
)

// syncState is the interaction sync job's watermark, kept in ServiceJourney
// (GETSYNCSTATE / SETSYNCSTATE) so any replica or CronJob run continues
// where the last one stopped. Its meaning: every conversation that started
// before Watermark is logged as final, except those in Pending (id -> start),
// which the next run fetches by id.
type syncState struct {
	Watermark time.Time
	Pending   map[string]time.Time
}

type wireState struct {
	V         int               `json:"v"`
	Watermark string            `json:"watermark"`
	Pending   map[string]string `json:"pending,omitempty"`
}

// encode writes compact JSON with millisecond UTC times; pending ids sorted
// (encoding/json sorts map keys), so an unchanged state encodes the same.
func (st syncState) encode() string {
	w := wireState{V: 1, Watermark: st.Watermark.UTC().Format(appbase.TimeLayout)}
	if len(st.Pending) > 0 {
		w.Pending = make(map[string]string, len(st.Pending))
		for id, t := range st.Pending {
			w.Pending[id] = t.UTC().Format(appbase.TimeLayout)
		}
	}
	b, _ := json.Marshal(w)
	return string(b)
}

// decodeState reads a stored state. A bare ISO-8601 time is accepted too, so
// an administrator can restart the job from a date by setting VALUE to one.
func decodeState(name, v string) (syncState, error) {
	v = strings.TrimSpace(v)
	fix := fmt.Sprintf("set sync state %q in ServiceJourney to an ISO-8601 time (e.g. 2024-05-01T00:00:00Z) to restart from there, or delete it to start %s", name, "from interactions.initialLookback ago")
	if t, err := parseStateTime(v); err == nil {
		return syncState{Watermark: t.UTC(), Pending: map[string]time.Time{}}, nil
	}
	var w wireState
	if err := json.Unmarshal([]byte(v), &w); err != nil {
		return syncState{}, fmt.Errorf("interactions: sync state %q holds %q, which is not a watermark: %s", name, clip(v), fix)
	}
	st := syncState{Pending: map[string]time.Time{}}
	var err error
	if st.Watermark, err = parseStateTime(w.Watermark); err != nil {
		return syncState{}, fmt.Errorf("interactions: sync state %q has watermark %q, which is not an ISO-8601 time: %s", name, clip(w.Watermark), fix)
	}
	for id, s := range w.Pending {
		t, err := parseStateTime(s)
		if err != nil || id == "" {
			return syncState{}, fmt.Errorf("interactions: sync state %q has a bad pending entry %q: %q: %s", name, clip(id), clip(s), fix)
		}
		st.Pending[id] = t.UTC()
	}
	st.Watermark = st.Watermark.UTC()
	return st, nil
}

// parseStateTime reads an ISO-8601 time whose UTC form can be stored again:
// years 0001-9999 (an offset could carry 0000-01-01T00:00:00+01:00 into
// year -1, which encode would write and the next run could not read).
func parseStateTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("year %d in UTC is outside 0001-9999", y)
	}
	return t.UTC(), nil
}

// capPending keeps at most max pending entries so the stored value stays
// small: the oldest are kept and the watermark moves back to the start of the
// first one left out, so it and everything after it is queried again by time
// (re-logging is harmless: the upsert is idempotent).
func (st *syncState) capPending(max int) {
	if len(st.Pending) <= max {
		return
	}
	type entry struct {
		id    string
		start time.Time
	}
	all := make([]entry, 0, len(st.Pending))
	for id, t := range st.Pending {
		all = append(all, entry{id, t})
	}
	sort.Slice(all, func(i, j int) bool {
		if !all[i].start.Equal(all[j].start) {
			return all[i].start.Before(all[j].start)
		}
		return all[i].id < all[j].id
	})
	cut := all[max].start
	if !cut.Before(st.Watermark) {
		return // cannot happen (pending ones started before the watermark); never drop one
	}
	st.Watermark = cut
	for _, e := range all[max:] {
		delete(st.Pending, e.id)
	}
}
