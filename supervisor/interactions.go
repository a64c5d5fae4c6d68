package supervisor

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"dcmconnect/genesys"
)

// InteractionSummary is today's interactions as Genesys analytics counts them,
// and, when the wiring can tell, how many of them reached ServiceJourney.
type InteractionSummary struct {
	From           time.Time `json:"from"` // start of the caller's day
	To             time.Time `json:"to"`   // when counted
	AsOf           time.Time `json:"asOf"`
	RefreshSeconds int       `json:"refreshSeconds"`
	Stale          string    `json:"stale,omitempty"` // shown of StaleErr
	StaleErr       error     `json:"-"`               // the latest refresh's failure, older data shown
	// StaleCode and StaleParams say Stale as a message code, for the page's
	// language (package api fills them in).
	StaleCode   string            `json:"staleCode,omitempty"`
	StaleParams map[string]string `json:"staleParams,omitempty"`
	Total       int               `json:"total"`
	// ByQueue counts conversations per queue they were offered to; one
	// conversation offered to two queues counts in both. No queue: ID "".
	ByQueue     []Count `json:"byQueue"`
	ByMediaType []Count `json:"byMediaType"`
	ByDirection []Count `json:"byDirection"`
	// Logged is how many of today's interactions the interaction log holds;
	// nil when no count is wired (Options.LoggedInteractions).
	Logged      *int   `json:"logged,omitempty"`
	LoggedError string `json:"loggedError,omitempty"`
}

// Count is one labelled count.
type Count struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// summarize counts conversations that started in [from, to). The query may
// return more (Genesys matches whole UTC days, docs/upstreams.md), so the start is
// checked here.
func summarize(convs []genesys.AnalyticsConversation, from, to time.Time) (total int, byQueue, byMedia, byDir map[string]int) {
	byQueue, byMedia, byDir = map[string]int{}, map[string]int{}, map[string]int{}
	for i := range convs {
		c := &convs[i]
		if c.ConversationStart.Before(from) || !c.ConversationStart.Before(to) {
			continue
		}
		total++
		queues := map[string]bool{}
		// The customer's session says what kind of interaction it is (an
		// agent's consult leg does not); else the first session anyone has.
		media, customerMedia := "", ""
		for _, p := range c.Participants {
			for _, s := range p.Sessions {
				if media == "" {
					media = s.MediaType
				}
				if customerMedia == "" && (p.Purpose == "customer" || p.Purpose == "external") {
					customerMedia = s.MediaType
				}
				for _, seg := range s.Segments {
					if seg.QueueID != "" {
						queues[seg.QueueID] = true
					}
				}
			}
		}
		if customerMedia != "" {
			media = customerMedia
		}
		if media == "" {
			media = "unknown"
		}
		byMedia[media]++
		dir := c.OriginatingDirection
		if dir == "" {
			dir = "unknown"
		}
		byDir[dir]++
		if len(queues) == 0 {
			byQueue[""]++
		}
		for q := range queues {
			byQueue[q]++
		}
	}
	return total, byQueue, byMedia, byDir
}

// sortedCounts lists counts largest first, then by name.
func sortedCounts(m map[string]int, name func(id string) string) []Count {
	out := make([]Count, 0, len(m))
	for id, n := range m {
		c := Count{ID: id, Name: id, Count: n}
		if name != nil {
			c.Name = name(id)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) })
	return out
}

// queueNames remembers queue names for good: they rarely change, and asking
// for each one on every refresh would cost one upstream call per queue.
type queueNames struct {
	mu    sync.Mutex
	names map[string]string
}

const maxQueueNames = 5000

func (q *queueNames) resolve(ctx context.Context, src Source, ids []string) map[string]string {
	out := make(map[string]string, len(ids))
	q.mu.Lock()
	if q.names == nil {
		q.names = map[string]string{}
	}
	var missing []string
	for _, id := range ids {
		if n, ok := q.names[id]; ok {
			out[id] = n
		} else if id != "" {
			missing = append(missing, id)
		}
	}
	q.mu.Unlock()
	for _, id := range missing {
		name, err := src.QueueName(ctx, id)
		if err != nil {
			continue // shown by id; asked again next refresh
		}
		out[id] = name
		q.mu.Lock()
		if len(q.names) < maxQueueNames {
			q.names[id] = name
		}
		q.mu.Unlock()
	}
	return out
}

// startOfDay is midnight of the day containing now, in the zone offsetMinutes
// east of UTC, as a UTC instant.
func startOfDay(now time.Time, offsetMinutes int) time.Time {
	zone := time.FixedZone("", offsetMinutes*60)
	l := now.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone).UTC()
}
