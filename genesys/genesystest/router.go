package genesystest

import (
	"net/http"
	"sort"
	"strings"
)

// router is a small path-template router. It exists (instead of
// http.ServeMux) so that every route has a canonical "METHOD /template" key
// for faults and counters, and so 404/405 answers carry Genesys error bodies.
type router struct {
	routes []*route
	keys   map[string]bool
}

type route struct {
	method  string
	pattern string
	key     string // canonical: METHOD + " " + pattern with "{}" params
	segs    []string
	h       http.HandlerFunc
	auth    bool     // needs a bearer token
	perms   []string // any one of these suffices (when enforced)
}

// routeKey canonicalises "GET /api/v2/users/{userId}" to
// "GET /api/v2/users/{}" so callers need not know parameter names.
func routeKey(route string) string {
	method, path, ok := strings.Cut(strings.TrimSpace(route), " ")
	if !ok {
		return strings.ToUpper(route)
	}
	segs := strings.Split(strings.TrimSpace(path), "/")
	for i, sg := range segs {
		if strings.HasPrefix(sg, "{") && strings.HasSuffix(sg, "}") {
			segs[i] = "{}"
		}
	}
	return strings.ToUpper(method) + " " + strings.Join(segs, "/")
}

func (rt *router) add(method, pattern string, h http.HandlerFunc, auth bool, perms ...string) {
	r := &route{
		method:  method,
		pattern: pattern,
		key:     routeKey(method + " " + pattern),
		segs:    strings.Split(pattern, "/"),
		h:       h,
		auth:    auth,
		perms:   perms,
	}
	if rt.keys[r.key] {
		panic("genesystest: duplicate route " + r.key)
	}
	rt.keys[r.key] = true
	rt.routes = append(rt.routes, r)
}

// match finds the most specific route: at the first segment where two
// candidates differ, a literal beats a parameter (so /users/me wins over
// /users/{userId}). HEAD falls back to GET.
func (rt *router) match(method, path string) (*route, map[string]string, bool) {
	segs := strings.Split(path, "/")
	var best *route
	var bestParams map[string]string
	methodMismatch := false
	for _, r := range rt.routes {
		params, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		if r.method != method && !(method == http.MethodHead && r.method == http.MethodGet) {
			methodMismatch = true
			continue
		}
		if best == nil || moreSpecific(r, best) || (r.method == method && best.method != method && sameShape(r, best)) {
			best, bestParams = r, params
		}
	}
	return best, bestParams, methodMismatch
}

func matchSegs(pattern, path []string) (map[string]string, bool) {
	if len(pattern) != len(path) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if path[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = path[i]
			continue
		}
		if p != path[i] {
			return nil, false
		}
	}
	return params, true
}

func moreSpecific(a, b *route) bool {
	for i := range a.segs {
		ap, bp := strings.HasPrefix(a.segs[i], "{"), strings.HasPrefix(b.segs[i], "{")
		if ap != bp {
			return !ap
		}
	}
	return false
}

func sameShape(a, b *route) bool { return !moreSpecific(a, b) && !moreSpecific(b, a) }

// Routes lists every route key the server answers, sorted; these are the
// names Fault and Requests accept.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.routes.routes {
		out = append(out, r.method+" "+r.pattern)
	}
	sort.Strings(out)
	return out
}

func (s *Server) buildRoutes() *router {
	rt := &router{keys: map[string]bool{}}
	const (
		get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	)
	// Login host.
	rt.add(post, "/oauth/token", s.handleToken, false)
	rt.add(get, "/oauth/authorize", s.handleAuthorizePage, false)
	rt.add(post, "/oauth/authorize", s.handleAuthorizeChoose, false)

	// Users, tokens, organization.
	rt.add(get, "/api/v2/users", s.handleListUsers, true)
	rt.add(get, "/api/v2/users/me", s.handleUsersMe, true)
	rt.add(get, "/api/v2/users/{userId}", s.handleGetUser, true)
	rt.add(post, "/api/v2/users/search", s.handleSearchUsers, true, "directory:user:view")
	rt.add(get, "/api/v2/users/search", s.handleSearchUsersQ64, true, "directory:user:view")
	rt.add(get, "/api/v2/tokens/me", s.handleTokensMe, true)
	rt.add(get, "/api/v2/organizations/me", s.handleOrganizationsMe, true)

	// Conversations and routing.
	rt.add(get, "/api/v2/conversations/{conversationId}", s.handleGetConversation, true, "conversation:communication:view")
	rt.add(patch, "/api/v2/conversations/{conversationId}/participants/{participantId}/attributes", s.handlePatchAttributes, true)
	rt.add(patch, "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/attributes", s.handlePatchCallAttributes, true)
	rt.add(post, "/api/v2/conversations/calls", s.handleCreateCall, true, "conversation:conference:add")
	rt.add(get, "/api/v2/conversations/{conversationId}/summaries", s.onConversation(s.handleSummaries), true)
	rt.add(get, "/api/v2/conversations/{conversationId}/recordingmetadata", s.onConversation(s.handleRecordingMetadata), true)
	rt.add(get, "/api/v2/conversations/messages/{conversationId}", s.onConversation(s.handleMessageConversation), true)
	rt.add(post, "/api/v2/conversations/messages/{conversationId}/messages/bulk", s.handleMessagesBulk, true)
	rt.add(get, "/api/v2/conversations/emails/{conversationId}/messages", s.onConversation(s.handleEmailMessages), true)
	rt.add(get, "/api/v2/conversations/emails/{conversationId}/messages/{messageId}", s.onConversation(s.handleEmailMessage), true)
	rt.add(get, "/api/v2/routing/queues", s.handleListQueues, true, "routing:queue:view")
	rt.add(get, "/api/v2/routing/queues/{queueId}", s.handleGetQueue, true, "routing:queue:view")
	rt.add(get, "/api/v2/routing/wrapupcodes", s.handleListWrapupCodes, true, "routing:wrapupCode:view")
	rt.add(get, "/api/v2/routing/wrapupcodes/{codeId}", s.handleGetWrapupCode, true, "routing:wrapupCode:view")

	// Analytics.
	analytics := []string{"analytics:conversationDetail:view", "analytics:agentConversationDetail:view"}
	rt.add(post, "/api/v2/analytics/conversations/details/query", s.handleAnalyticsQuery, true, analytics...)
	rt.add(post, "/api/v2/analytics/conversations/details/jobs", s.handleCreateJob, true, analytics...)
	rt.add(get, "/api/v2/analytics/conversations/details/jobs/availability", s.handleJobAvailability, true, analytics...)
	rt.add(get, "/api/v2/analytics/conversations/details/jobs/{jobId}", s.handleGetJob, true, analytics...)
	rt.add(del, "/api/v2/analytics/conversations/details/jobs/{jobId}", s.handleDeleteJob, true, analytics...)
	rt.add(get, "/api/v2/analytics/conversations/details/jobs/{jobId}/results", s.handleJobResults, true, analytics...)

	// Integrations.
	rt.add(get, "/api/v2/integrations", s.handleListIntegrations, true, "integrations:integration:view")
	rt.add(post, "/api/v2/integrations", s.handleCreateIntegration, true, "integrations:integration:add")
	rt.add(get, "/api/v2/integrations/types", s.handleListIntegrationTypes, true)
	rt.add(get, "/api/v2/integrations/types/{typeId}", s.handleGetIntegrationType, true)
	rt.add(get, "/api/v2/integrations/clientapps", s.handleListClientApps, true)
	rt.add(get, "/api/v2/integrations/{integrationId}", s.handleGetIntegration, true, "integrations:integration:view")
	rt.add(patch, "/api/v2/integrations/{integrationId}", s.handlePatchIntegration, true, "integrations:integration:edit")
	rt.add(del, "/api/v2/integrations/{integrationId}", s.handleDeleteIntegration, true, "integrations:integration:delete")
	rt.add(get, "/api/v2/integrations/{integrationId}/config/current", s.handleGetIntegrationConfig, true, "integrations:integration:view")
	rt.add(put, "/api/v2/integrations/{integrationId}/config/current", s.handlePutIntegrationConfig, true, "integrations:integration:edit")

	// Integration credentials and data actions (platformclientv2 integrationsapi.go).
	rt.add(get, "/api/v2/integrations/credentials", s.handleListCredentials, true, "integrations:integration:view")
	rt.add(post, "/api/v2/integrations/credentials", s.handleCreateCredential, true, "integrations:integration:add", "integrations:integration:edit")
	rt.add(get, "/api/v2/integrations/credentials/{credentialId}", s.handleGetCredential, true, "integrations:integration:view")
	rt.add(put, "/api/v2/integrations/credentials/{credentialId}", s.handlePutCredential, true, "integrations:integration:edit")
	rt.add(del, "/api/v2/integrations/credentials/{credentialId}", s.handleDeleteCredential, true, "integrations:integration:delete", "integrations:integration:edit")
	rt.add(get, "/api/v2/integrations/actions", s.handleListActions(false), true, "integrations:action:view")
	rt.add(get, "/api/v2/integrations/actions/drafts", s.handleListActions(true), true, "integrations:action:view")
	rt.add(post, "/api/v2/integrations/actions/drafts", s.handleCreateActionDraft, true, "integrations:action:add")
	rt.add(get, "/api/v2/integrations/actions/{actionId}", s.handleGetAction(false), true, "integrations:action:view")
	rt.add(del, "/api/v2/integrations/actions/{actionId}", s.handleDeleteAction, true, "integrations:action:delete")
	rt.add(get, "/api/v2/integrations/actions/{actionId}/draft", s.handleGetAction(true), true, "integrations:action:view")
	rt.add(post, "/api/v2/integrations/actions/{actionId}/draft", s.handleDraftFromAction, true, "integrations:action:edit")
	rt.add(patch, "/api/v2/integrations/actions/{actionId}/draft", s.handlePatchActionDraft, true, "integrations:action:edit")
	rt.add(post, "/api/v2/integrations/actions/{actionId}/draft/publish", s.handlePublishActionDraft, true, "integrations:action:edit")
	rt.add(post, "/api/v2/integrations/actions/{actionId}/draft/test", s.handleExecuteAction("draft"), true, "integrations:action:execute")
	rt.add(post, "/api/v2/integrations/actions/{actionId}/test", s.handleExecuteAction("test"), true, "integrations:action:execute")
	rt.add(post, "/api/v2/integrations/actions/{actionId}/execute", s.handleExecuteAction("execute"), true, "integrations:action:execute")

	// Roles, groups, OAuth clients.
	rt.add(get, "/api/v2/authorization/roles", s.handleListRoles, true, "authorization:role:view")
	rt.add(post, "/api/v2/authorization/roles", s.handleCreateRole, true, "authorization:role:add")
	rt.add(get, "/api/v2/authorization/roles/{roleId}", s.handleGetRole, true, "authorization:role:view")
	rt.add(put, "/api/v2/authorization/roles/{roleId}", s.handleUpdateRole, true, "authorization:role:edit")
	rt.add(del, "/api/v2/authorization/roles/{roleId}", s.handleDeleteRole, true, "authorization:role:delete")
	rt.add(put, "/api/v2/authorization/roles/{roleId}/users/add", s.handleRoleUsersAdd, true, "authorization:grant:add")
	rt.add(post, "/api/v2/groups", s.handleCreateGroup, true, "directory:group:add")
	rt.add(get, "/api/v2/groups/{groupId}", s.handleGetGroup, true)
	rt.add(post, "/api/v2/groups/search", s.handleSearchGroups, true)
	rt.add(del, "/api/v2/groups/{groupId}", s.handleDeleteGroup, true, "directory:group:delete")
	rt.add(post, "/api/v2/groups/{groupId}/members", s.handleAddGroupMembers, true, "directory:group:edit")
	rt.add(get, "/api/v2/oauth/clients", s.handleListOAuthClients, true, "oauth:client:view")
	rt.add(post, "/api/v2/oauth/clients", s.handleCreateOAuthClient, true, "oauth:client:add")
	rt.add(get, "/api/v2/oauth/clients/{clientId}", s.handleGetOAuthClient, true, "oauth:client:view")
	rt.add(put, "/api/v2/oauth/clients/{clientId}", s.handlePutOAuthClient, true, "oauth:client:edit")
	rt.add(del, "/api/v2/oauth/clients/{clientId}", s.handleDeleteOAuthClient, true, "oauth:client:delete")
	s.addNotificationRoutes(rt)
	return rt
}
