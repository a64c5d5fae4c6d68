package genesystest

import (
	"errors"
	"fmt"
	"strings"
)

// SetOrg sets the home organization: the org of every client and user that
// names none.
func (s *Server) SetOrg(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.data.orgs, s.data.orgID)
	s.data.orgID = id
	s.data.orgs[id] = name
}

// AddOrg adds another organization, for clients or users with OrgID set
// (e.g. to test that a token of another org is refused).
func (s *Server) AddOrg(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.orgs[id] = name
}

// OrgID returns the home organization id.
func (s *Server) OrgID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.orgID
}

// AddClient registers an OAuth client and returns it with defaults filled.
// Adding an existing ID replaces it.
func (s *Server) AddClient(c Client) Client {
	c = copyClient(c)
	if c.ID == "" {
		c.ID = newUUID()
	}
	if c.GrantType == "" {
		c.GrantType = GrantClientCredentials
	}
	if c.TokenTTL <= 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.State == "" {
		c.State = "active"
	}
	if c.Name == "" {
		c.Name = "Client " + c.ID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.DateCreated.IsZero() {
		c.DateCreated = s.now()
	}
	s.data.clients.put(c.ID, &c)
	return copyClient(c)
}

// OAuthClients returns every OAuth client, seeded or created through the API.
func (s *Server) OAuthClients() []Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Client
	for _, c := range s.data.clients.list() {
		out = append(out, copyClient(*c))
	}
	return out
}

// AddUser adds (or replaces, by ID) a user and returns it with defaults filled.
func (s *Server) AddUser(u User) User {
	u = copyUser(u)
	if u.ID == "" {
		u.ID = newUUID()
	}
	if u.State == "" {
		u.State = "active"
	}
	if u.Username == "" {
		u.Username = u.Email
	}
	if u.Name == "" {
		u.Name = "User " + shortID(u.ID)
	}
	if u.Presence == "" {
		u.Presence = "OFFLINE"
	}
	if u.RoutingStatus == "" {
		u.RoutingStatus = "OFF_QUEUE"
	}
	if u.Version == 0 {
		u.Version = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.users.put(u.ID, &u)
	s.data.usersChanged()
	return copyUser(u)
}

// Users returns every user in insertion order.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.data.users.order))
	for _, u := range s.data.users.list() {
		out = append(out, copyUser(*u))
	}
	return out
}

// UpdateUser changes a seeded user in place (presence, routing status, ...).
func (s *Server) UpdateUser(id string, fn func(*User)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.data.users.get(id)
	if !ok {
		return fmt.Errorf("genesystest: no user %q", id)
	}
	c := copyUser(*u)
	fn(&c)
	c.ID = id
	c.Version++
	s.data.users.put(id, &c)
	s.data.usersChanged()
	return nil
}

// AddQueue adds a routing queue; an empty id gets a UUID. It returns the id.
func (s *Server) AddQueue(id, name string) string {
	return s.addNamed(&s.data.queues, id, name)
}

// AddWrapupCode adds a wrap-up code; an empty id gets a UUID. It returns the id.
func (s *Server) AddWrapupCode(id, name string) string {
	return s.addNamed(&s.data.wrapups, id, name)
}

func (s *Server) addNamed(o *ordered[named], id, name string) string {
	if id == "" {
		id = newUUID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o.put(id, &named{ID: id, Name: name, Created: s.now()})
	return id
}

// AddConversation stores a conversation (replacing one with the same ID) and
// returns it with ids and times filled: a zero StartTime becomes now, a
// participant's zero StartTime the conversation's.
func (s *Server) AddConversation(c Conversation) Conversation {
	c = copyConversation(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fillConversation(&c)
	s.data.convs.put(c.ID, &c)
	s.conversationChanged(&c)
	return copyConversation(c)
}

func (s *Server) fillConversation(c *Conversation) {
	if c.ID == "" {
		c.ID = newUUID()
	}
	if c.StartTime.IsZero() {
		c.StartTime = s.now()
	}
	for i := range c.Participants {
		p := &c.Participants[i]
		if p.ID == "" {
			p.ID = newUUID()
		}
		if p.StartTime.IsZero() {
			p.StartTime = c.StartTime
		}
		for _, l := range p.mediaLists() {
			for j := range l.legs {
				if l.legs[j].ID == "" {
					l.legs[j].ID = newUUID()
				}
			}
		}
	}
	if c.OriginatingDirection == "" {
		c.OriginatingDirection = originatingDirection(c)
	}
}

func originatingDirection(c *Conversation) string {
	for _, p := range c.Participants {
		if p.Purpose != "customer" && p.Purpose != "external" {
			continue
		}
		for _, l := range p.mediaLists() {
			if len(l.legs) > 0 && l.legs[0].Direction != "" {
				return strings.ToLower(l.legs[0].Direction)
			}
		}
	}
	return "inbound"
}

// ErrNotFound is returned by Update* helpers for an unknown id.
var ErrNotFound = errors.New("genesystest: not found")

// UpdateConversation changes a stored conversation in place, e.g. to end it
// or add a wrap-up. It returns ErrNotFound for an unknown id.
func (s *Server) UpdateConversation(id string, fn func(*Conversation)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.convs.get(id)
	if !ok {
		return fmt.Errorf("conversation %q: %w", id, ErrNotFound)
	}
	cp := copyConversation(*c)
	fn(&cp)
	cp.ID = id
	s.fillConversation(&cp)
	s.data.convs.put(id, &cp)
	s.conversationChanged(&cp)
	return nil
}

// Conversation returns a stored conversation, for assertions.
func (s *Server) Conversation(id string) (Conversation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.convs.get(id)
	if !ok {
		return Conversation{}, false
	}
	return copyConversation(*c), true
}

// Conversations returns every stored conversation in insertion order.
func (s *Server) Conversations() []Conversation {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Conversation
	for _, c := range s.data.convs.list() {
		out = append(out, copyConversation(*c))
	}
	return out
}

// AddIntegrationType adds (or replaces) an installable integration type.
func (s *Server) AddIntegrationType(t IntegrationType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.intTypes.put(t.ID, &t)
}

// RemoveIntegrationType removes a type, e.g. to test "product not available".
func (s *Server) RemoveIntegrationType(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.intTypes.del(id)
}

// Integrations returns the integrations created through the API (or seeded).
func (s *Server) Integrations() []Integration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Integration
	for _, in := range s.data.integrations.list() {
		out = append(out, copyIntegration(*in))
	}
	return out
}

// AddRole adds a role and returns it with its id filled.
func (s *Server) AddRole(r Role) Role {
	r = copyRole(r)
	if r.ID == "" {
		r.ID = newUUID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Membership lives on User.Roles; Role.UserIDs is computed on read.
	for _, uid := range r.UserIDs {
		if u, ok := s.data.users.get(uid); ok && !containsString(u.Roles, r.ID) {
			u.Roles = append(u.Roles, r.ID)
		}
	}
	r.UserIDs = nil
	s.data.roles.put(r.ID, &r)
	return s.roleView(&r)
}

// roleView copies a role and fills UserIDs from the users holding it.
func (s *Server) roleView(r *Role) Role {
	out := copyRole(*r)
	for _, u := range s.data.users.list() {
		if containsString(u.Roles, r.ID) {
			out.UserIDs = append(out.UserIDs, u.ID)
		}
	}
	return out
}

// Roles returns every role, seeded ("employee", "Master Admin") or created.
func (s *Server) Roles() []Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Role
	for _, r := range s.data.roles.list() {
		out = append(out, s.roleView(r))
	}
	return out
}

// AddGroup adds (or replaces, by ID) a group with its members and returns
// it with defaults filled: ID a UUID, Type "official", Visibility "public",
// State "active", Version 1.
func (s *Server) AddGroup(g Group) Group {
	g = copyGroup(g)
	if g.ID == "" {
		g.ID = newUUID()
	}
	if g.Type == "" {
		g.Type = "official"
	}
	if g.Visibility == "" {
		g.Visibility = "public"
	}
	if g.State == "" {
		g.State = "active"
	}
	if g.Version == 0 {
		g.Version = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.groups.put(g.ID, &g)
	return copyGroup(g)
}

// Groups returns every group, seeded or created through the API.
func (s *Server) Groups() []Group {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Group
	for _, g := range s.data.groups.list() {
		out = append(out, copyGroup(*g))
	}
	return out
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func shortID(id string) string { return id[:min(8, len(id))] }
