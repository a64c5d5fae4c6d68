package genesystest

import (
	"maps"
	"net/http"
)

// Credential is a stored integration credential (platformclientv2.Credential).
// Type is basicAuth, userDefined or userDefinedOAuth; Fields hold e.g.
// userName and password for basicAuth. The API never returns the fields.
type Credential struct {
	ID     string
	Name   string
	Type   string
	Fields map[string]string
}

// wireCredentialInfo is platformclientv2.Credentialinfo: no fields.
type wireCredentialInfo struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Type    NamedEntity `json:"type"`
	SelfURI string      `json:"selfUri"`
}

// NamedEntity is an {id,name} reference.
type NamedEntity struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

func credentialWire(c *Credential) wireCredentialInfo {
	return wireCredentialInfo{ID: c.ID, Name: c.Name, Type: NamedEntity{Name: c.Type},
		SelfURI: "/api/v2/integrations/credentials/" + c.ID}
}

// Credentials returns the stored credentials with their fields, for assertions.
func (s *Server) Credentials() []Credential {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Credential
	for _, c := range s.data.credentials.list() {
		v := *c
		v.Fields = maps.Clone(c.Fields)
		out = append(out, v)
	}
	return out
}

type credentialInput struct {
	Name             string            `json:"name"`
	Type             NamedEntity       `json:"type"`
	CredentialFields map[string]string `json:"credentialFields"`
}

func (req *credentialInput) problem() string {
	switch req.Type.Name {
	case "basicAuth":
		if req.CredentialFields["userName"] == "" || req.CredentialFields["password"] == "" {
			return "credentialFields.userName and credentialFields.password are required for basicAuth"
		}
	case "userDefined", "userDefinedOAuth":
	default:
		return "type.name must be basicAuth, userDefined or userDefinedOAuth; got " + req.Type.Name
	}
	return ""
}

// POST /api/v2/integrations/credentials (Credential -> Credentialinfo).
func (s *Server) handleCreateCredential(w http.ResponseWriter, r *http.Request) {
	var req credentialInput
	if !decodeJSON(w, r, &req) {
		return
	}
	if p := req.problem(); p != "" {
		badRequest(w, p)
		return
	}
	c := &Credential{ID: newUUID(), Name: req.Name, Type: req.Type.Name, Fields: maps.Clone(req.CredentialFields)}
	s.mu.Lock()
	s.data.credentials.put(c.ID, c)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, credentialWire(c))
}

// GET /api/v2/integrations/credentials (Credentialinfolisting).
func (s *Server) handleListCredentials(w http.ResponseWriter, r *http.Request) {
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var all []wireCredentialInfo
	for _, c := range s.data.credentials.list() {
		all = append(all, credentialWire(c))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newListing(r, all, size, number))
}

func (s *Server) credentialFor(w http.ResponseWriter, r *http.Request) (*Credential, bool) {
	id := r.PathValue("credentialId")
	c, ok := s.data.credentials.get(id)
	if !ok {
		notFound(w, "credential", id)
	}
	return c, ok
}

// GET /api/v2/integrations/credentials/{id}: the fields stay hidden.
func (s *Server) handleGetCredential(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.credentialFor(w, r); ok {
		writeJSON(w, http.StatusOK, credentialWire(c))
	}
}

// PUT /api/v2/integrations/credentials/{id} replaces name, type and fields.
func (s *Server) handlePutCredential(w http.ResponseWriter, r *http.Request) {
	var req credentialInput
	if !decodeJSON(w, r, &req) {
		return
	}
	if p := req.problem(); p != "" {
		badRequest(w, p)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.credentialFor(w, r)
	if !ok {
		return
	}
	c.Name, c.Type, c.Fields = req.Name, req.Type.Name, maps.Clone(req.CredentialFields)
	writeJSON(w, http.StatusOK, credentialWire(c))
}

// DELETE /api/v2/integrations/credentials/{id}.
func (s *Server) handleDeleteCredential(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.credentialFor(w, r); ok {
		s.data.credentials.del(c.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}
