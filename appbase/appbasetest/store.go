package appbasetest

import (
	"maps"
	"strconv"
	"strings"
	"time"
)

// User is a ServiceJourney user as GETUSERS returns it.
type User struct {
	ID, Code, Login, Name, Email, Status string
	// PureCloudUserID is the explicit Genesys Cloud mapping: the user-schema
	// field PureCloud_UserId for the connector's rules, the case worker's
	// external id (EXTERNALID) for the stock ones. A solution keeps one.
	PureCloudUserID string
}

// Party is a customer record (external party) the party searches find.
// Phone is stored as given: the connector rule matches it exactly (E.164),
// the standard search by digit substring (so "(415) 555-0101" is found too).
type Party struct {
	ID, Name, Phone, Email string
	ExtSysID               string
}

// Case is a case FINDCASES searches; PartyID links it to its party.
type Case struct {
	ID, CaseID, PartyID, Summary, State string
}

// Interaction is a stored UPSERTINTERACTION record, parsed from the wire.
type Interaction struct {
	ID, ConversationID, Direction, MediaType, ANI, DNIS, QueueID, QueueName string
	AgentUserID                                                             string
	Start, End                                                              time.Time
	DurationSeconds                                                         int
	WrapupCode, WrapupName, WrapupNotes, PartyID, CaseID                    string
	// Fields are the other inputs the rule was given (the field mapping),
	// each as last written.
	Fields map[string]string
	// Writes counts the UPSERTINTERACTION calls that touched the record,
	// Clears those of them that carried CLEARPARTYID or CLEARCASEID.
	Writes, Clears int
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.Itoa(s.nextID)
}

// AddUser stores u and returns it as stored: an empty ID gets a fresh
// numeric one, an empty Status "Active" (as genesystest.AddUser does).
func (s *Server) AddUser(u User) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == "" {
		u.ID = s.newID()
	}
	if u.Status == "" {
		u.Status = "Active"
	}
	s.users = append(s.users, u)
	return u
}

// AddParty stores p and returns it as stored: an empty ID gets a fresh numeric one.
func (s *Server) AddParty(p Party) Party {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" {
		p.ID = s.newID()
	}
	s.parties = append(s.parties, p)
	return p
}

// AddCase stores c and returns it as stored: an empty ID gets a fresh
// numeric one, an empty CaseID "CASE-<ID>".
func (s *Server) AddCase(c Case) Case {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		c.ID = s.newID()
	}
	if c.CaseID == "" {
		c.CaseID = "CASE-" + c.ID
	}
	s.cases = append(s.cases, c)
	return c
}

// AddInteraction stores an interaction record as if upserted before and
// returns it as stored: an empty ID gets a fresh numeric one.
func (s *Server) AddInteraction(it Interaction) Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it.ID == "" {
		it.ID = s.newID()
	}
	s.byConv[it.ConversationID] = len(s.interactions)
	s.interactions = append(s.interactions, it)
	return it
}

// Users is a snapshot of the users, with their current mappings.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]User(nil), s.users...)
}

// Parties is a snapshot of the parties.
func (s *Server) Parties() []Party {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Party(nil), s.parties...)
}

// Cases is a snapshot of the cases.
func (s *Server) Cases() []Case {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Case(nil), s.cases...)
}

// Interactions is a snapshot of the interaction records, in creation order.
func (s *Server) Interactions() []Interaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Interaction, len(s.interactions))
	for i, it := range s.interactions {
		out[i] = it.clone()
	}
	return out
}

// clone copies the record with its own Fields (the stored one changes later).
func (it Interaction) clone() Interaction {
	it.Fields = maps.Clone(it.Fields)
	return it
}

// Interaction returns the record for a conversation id.
func (s *Server) Interaction(conversationID string) (Interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byConv[conversationID]
	if !ok {
		return Interaction{}, false
	}
	return s.interactions[i].clone(), true
}

// SyncState is the stored value of a sync state ("" if none).
func (s *Server) SyncState(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.syncState[strings.ToUpper(name)]
}

// SetSyncState stores a sync state directly (test setup).
func (s *Server) SetSyncState(name, value string) {
	s.mu.Lock()
	s.syncState[strings.ToUpper(name)] = value
	s.mu.Unlock()
}

// RemoveRule makes the rule of op (e.g. "FINDCASES") unknown: calls get the
// top-level "rule not found" error, as when a solution lacks a contract rule.
func (s *Server) RemoveRule(op string) {
	s.mu.Lock()
	s.removed[strings.ToUpper(op)] = true
	s.mu.Unlock()
}

// RestoreRule undoes RemoveRule.
func (s *Server) RestoreRule(op string) {
	s.mu.Lock()
	delete(s.removed, strings.ToUpper(op))
	s.mu.Unlock()
}

// ExpireTokens invalidates every issued token (as a server-side session
// expiry would); the next rule call gets the "token invalid" error.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	clear(s.tokens)
	s.mu.Unlock()
}

// Requests is how many rule requests arrived for op ("GETUSERS", ...), any
// outcome, including faulted ones; "login" gives Logins(); "*" all rule requests.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch op = strings.ToUpper(op); op {
	case "LOGIN":
		return s.logins
	case "*":
		n := 0
		for _, v := range s.requests {
			n += v
		}
		return n
	}
	return s.requests[op]
}

// Logins is how many login requests arrived (GET login and POST login.post), any outcome.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// ResetCounters zeroes Requests and Logins.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	clear(s.requests)
	s.logins = 0
	s.mu.Unlock()
}
