package genesystest

import (
	"net/http"
	"strings"
)

// wireGroup is a directory Group (docs/upstreams.md, group module).
// Model: platformclientv2.Group (name, type, rulesVisible, visibility are
// required).
type wireGroup struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	DateModified string `json:"dateModified"`
	MemberCount  int    `json:"memberCount"`
	State        string `json:"state"`
	Version      int    `json:"version"`
	Type         string `json:"type"`
	RulesVisible bool   `json:"rulesVisible"`
	Visibility   string `json:"visibility"`
	SelfURI      string `json:"selfUri"`
}

func groupWire(g *Group, modified string) wireGroup {
	return wireGroup{
		ID: g.ID, Name: g.Name, Description: g.Description, DateModified: modified,
		MemberCount: len(g.MemberIDs), State: g.State, Version: g.Version, Type: g.Type,
		RulesVisible: g.RulesVisible, Visibility: g.Visibility, SelfURI: "/api/v2/groups/" + g.ID,
	}
}

// POST /api/v2/groups {name, description, type, rulesVisible, visibility}.
func (s *Server) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name         string `json:"name"`
		Description  string `json:"description"`
		Type         string `json:"type"`
		RulesVisible bool   `json:"rulesVisible"`
		Visibility   string `json:"visibility"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Name) == "" {
		badRequest(w, "name is required")
		return
	}
	if req.Type == "" {
		req.Type = "official"
	}
	if req.Type != "official" && req.Type != "social" {
		badRequest(w, "type must be official or social; got "+req.Type)
		return
	}
	if req.Visibility == "" {
		req.Visibility = "public"
	}
	if req.Visibility != "public" && req.Visibility != "owners" && req.Visibility != "members" {
		badRequest(w, "visibility must be public, owners or members; got "+req.Visibility)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &Group{
		ID: newUUID(), Name: req.Name, Description: req.Description, Type: req.Type,
		Visibility: req.Visibility, RulesVisible: req.RulesVisible, State: "active", Version: 1,
	}
	s.data.groups.put(g.ID, g)
	writeJSON(w, http.StatusOK, groupWire(g, isoTime(s.now())))
}

func (s *Server) handleGetGroup(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("groupId")
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.data.groups.get(id)
	if !ok {
		notFound(w, "group", id)
		return
	}
	writeJSON(w, http.StatusOK, groupWire(g, isoTime(s.now())))
}

// POST /api/v2/groups/search: the wizard finds its groups by name prefix
// ({fields:["name"], value, type:"STARTS_WITH"}).
func (s *Server) handleSearchGroups(w http.ResponseWriter, r *http.Request) {
	var req searchRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if !req.paging(w) {
		return
	}
	s.mu.Lock()
	var all []wireGroup
	now := isoTime(s.now())
	for _, g := range s.data.groups.list() {
		ok, e := matchCriteria(req.Query, func(f string) (string, bool) {
			switch f {
			case "name":
				return g.Name, true
			case "id":
				return g.ID, true
			case "description":
				return g.Description, true
			case "state":
				return g.State, true
			case "type":
				return g.Type, true
			}
			return "", false
		})
		if e != "" {
			s.mu.Unlock()
			badRequest(w, e)
			return
		}
		if ok {
			all = append(all, groupWire(g, now))
		}
	}
	s.mu.Unlock()
	resp := searchResponse{
		Total: len(all), PageCount: pageCount(len(all), req.PageSize),
		PageSize: req.PageSize, PageNumber: req.PageNumber, Types: []string{"groups"},
	}
	resp.Results = pageOf(all, req.PageSize, req.PageNumber) // never nil
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleDeleteGroup(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("groupId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.data.groups.del(id) {
		notFound(w, "group", id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// POST /api/v2/groups/{id}/members {memberIds, version}: the version must be
// the group's current one; 202 with an empty object.
func (s *Server) handleAddGroupMembers(w http.ResponseWriter, r *http.Request) {
	var req struct {
		MemberIDs []string `json:"memberIds"`
		Version   int      `json:"version"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	if len(req.MemberIDs) == 0 || req.Version == 0 {
		badRequest(w, "memberIds and version are required")
		return
	}
	id := r.PathValue("groupId")
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.data.groups.get(id)
	if !ok {
		notFound(w, "group", id)
		return
	}
	if req.Version != g.Version {
		conflict(w, "version "+itoa(req.Version)+" does not match the group's version "+itoa(g.Version))
		return
	}
	for _, uid := range req.MemberIDs {
		if _, ok := s.data.users.get(uid); !ok {
			badRequest(w, "memberIds: user "+uid+" does not exist")
			return
		}
	}
	for _, uid := range req.MemberIDs {
		if !containsString(g.MemberIDs, uid) {
			g.MemberIDs = append(g.MemberIDs, uid)
		}
	}
	g.Version++
	writeJSON(w, http.StatusAccepted, struct{}{})
}
