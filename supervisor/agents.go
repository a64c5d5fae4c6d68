package supervisor

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/usermap"
)

// AgentStatus is one Genesys user on the supervisor page: presence, routing
// status and how the connector maps them to ServiceJourney.
type AgentStatus struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// Presence is the system presence as Genesys spells it ("On Queue",
	// "Available", ...); empty when Genesys sent none.
	Presence      string    `json:"presence"`
	PresenceSince time.Time `json:"presenceSince,omitzero"`
	// RoutingStatus is OFF_QUEUE, IDLE, INTERACTING, NOT_RESPONDING or COMMUNICATING.
	RoutingStatus string    `json:"routingStatus"`
	RoutingSince  time.Time `json:"routingSince,omitzero"`
	// Mapping is the user map status; empty before the first user sync.
	Mapping    usermap.Status `json:"mapping,omitempty"`
	SJUserID   string         `json:"serviceJourneyUserId,omitempty"`
	SJUserName string         `json:"serviceJourneyUserName,omitempty"`

	key string // lower-cased name, email and id for search
}

// AgentStatusPage is GetAgentStatus's answer: counts over every agent, and
// one page of the agents matching the filter. Paging happens here so a page
// with 5,000 agents moves and renders only what is shown.
type AgentStatusPage struct {
	AsOf           time.Time `json:"asOf"`
	RefreshSeconds int       `json:"refreshSeconds"`
	// Stale is set when the latest refresh failed and older data is shown:
	// StaleErr is that failure, Stale what the page shows of it.
	Stale    string `json:"stale,omitempty"`
	StaleErr error  `json:"-"`
	// StaleCode and StaleParams say Stale as a message code (package api).
	StaleCode   string            `json:"staleCode,omitempty"`
	StaleParams map[string]string `json:"staleParams,omitempty"`
	Total       int               `json:"total"`
	Matched     int               `json:"matched"`
	Page        int               `json:"page"`
	PageSize    int               `json:"pageSize"`
	PageCount   int               `json:"pageCount"`
	Presence    map[string]int    `json:"presenceCounts"`
	Routing     map[string]int    `json:"routingCounts"`
	Mapping     map[string]int    `json:"mappingCounts"`
	Agents      []AgentStatus     `json:"agents"`
}

// AgentQuery filters, sorts and pages the agents.
type AgentQuery struct {
	Search        string // substring of name, e-mail or id, any case
	Presence      string // exact system presence; "" any
	RoutingStatus string // exact routing status; "" any
	Mapping       string // user map status; "" any
	Sort          string // name, presence, routingStatus, since, mapping; "-" prefix: descending
	Page          int    // 1-based
	PageSize      int    // default 50, at most maxAgentPageSize
}

const (
	defaultAgentPageSize = 50
	maxAgentPageSize     = 500
)

// agentSorts are the sort keys GetAgentStatus accepts.
var agentSorts = []string{"name", "presence", "routingStatus", "since", "mapping"}

// mappingRank orders mapping statuses most actionable first, as the user map does.
func mappingRank(s usermap.Status) int {
	if i := slices.Index(usermap.Statuses, s); i >= 0 {
		return i
	}
	return len(usermap.Statuses)
}

func (q *AgentQuery) check() error {
	if q.PageSize == 0 {
		q.PageSize = defaultAgentPageSize
	}
	if q.PageSize < 1 || q.PageSize > maxAgentPageSize {
		return &QueryError{Param: "pageSize", Problem: fmt.Sprintf("must be between 1 and %d", maxAgentPageSize)}
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 {
		return &QueryError{Param: "page", Problem: "must be 1 or more"}
	}
	if q.Sort == "" {
		q.Sort = "name"
	}
	if !slices.Contains(agentSorts, strings.TrimPrefix(q.Sort, "-")) {
		return &QueryError{Param: "sort", Problem: "must be one of name, presence, routingStatus, since, mapping (prefix - for descending)"}
	}
	if q.Mapping != "" && !slices.Contains(usermap.Statuses, usermap.Status(q.Mapping)) {
		return &QueryError{Param: "mapping", Problem: "must be explicit, email, unmatched or conflict"}
	}
	q.Search = strings.ToLower(strings.TrimSpace(q.Search))
	return nil
}

// agentsFromGenesys turns the users listing into rows sorted by name; it runs
// once per refresh, not per supervisor.
func agentsFromGenesys(users []genesys.User) []AgentStatus {
	out := make([]AgentStatus, 0, len(users))
	for _, u := range users {
		a := AgentStatus{ID: u.ID, Name: u.Name, Email: u.Email}
		if a.Email == "" && strings.Contains(u.Username, "@") {
			a.Email = u.Username
		}
		if p := u.Presence; p != nil {
			if p.PresenceDefinition != nil {
				a.Presence = p.PresenceDefinition.SystemPresence
			}
			a.PresenceSince = p.ModifiedDate
		}
		if r := u.RoutingStatus; r != nil {
			a.RoutingStatus, a.RoutingSince = r.Status, r.StartTime
		}
		a.key = strings.ToLower(a.Name + "\x00" + a.Email + "\x00" + a.ID)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b AgentStatus) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// agentPage joins the cached agents with the user map in service and cuts
// one page. agents is shared between supervisors and is not modified.
func agentPage(agents []AgentStatus, report *usermap.Report, q AgentQuery) AgentStatusPage {
	p := AgentStatusPage{Total: len(agents), Page: q.Page, PageSize: q.PageSize,
		Presence: map[string]int{}, Routing: map[string]int{}, Mapping: map[string]int{}}
	// Only the mapping is joined for every agent; whole rows are copied for
	// the page alone.
	type row struct {
		a      *AgentStatus
		status usermap.Status
	}
	matched := make([]row, 0, len(agents))
	for i := range agents {
		r := row{a: &agents[i]}
		if report != nil {
			if e, ok := report.ByGenesysID(r.a.ID); ok {
				r.status = e.Status
				p.Mapping[string(e.Status)]++
			}
		}
		p.Presence[r.a.Presence]++
		p.Routing[r.a.RoutingStatus]++
		if (q.Search == "" || strings.Contains(r.a.key, q.Search)) &&
			(q.Presence == "" || r.a.Presence == q.Presence) &&
			(q.RoutingStatus == "" || r.a.RoutingStatus == q.RoutingStatus) &&
			(q.Mapping == "" || string(r.status) == q.Mapping) {
			matched = append(matched, r)
		}
	}
	by := q.Sort
	desc := strings.HasPrefix(by, "-")
	by = strings.TrimPrefix(by, "-")
	cmpRow := func(x, y row) int {
		switch by {
		case "presence":
			return cmp.Compare(x.a.Presence, y.a.Presence)
		case "routingStatus":
			return cmp.Compare(x.a.RoutingStatus, y.a.RoutingStatus)
		case "since":
			return x.a.PresenceSince.Compare(y.a.PresenceSince)
		case "mapping":
			return cmp.Compare(mappingRank(x.status), mappingRank(y.status))
		}
		return 0 // name: the agents are already in name order
	}
	if by == "name" {
		if desc {
			slices.Reverse(matched)
		}
	} else {
		// A stable sort keeps name order within ties.
		slices.SortStableFunc(matched, func(x, y row) int {
			if desc {
				return cmpRow(y, x)
			}
			return cmpRow(x, y)
		})
	}
	p.Matched = len(matched)
	p.PageCount = max(1, (len(matched)+q.PageSize-1)/q.PageSize)
	from := min((q.Page-1)*q.PageSize, len(matched))
	to := min(from+q.PageSize, len(matched))
	p.Agents = make([]AgentStatus, 0, to-from)
	for _, r := range matched[from:to] {
		a := *r.a
		a.Mapping = r.status
		if e, ok := report.ByGenesysID(a.ID); ok && e.SJUser != nil {
			a.SJUserID, a.SJUserName = e.SJUser.ID, e.SJUser.Name
		}
		p.Agents = append(p.Agents, a)
	}
	return p
}
