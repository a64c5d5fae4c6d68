// Package genesystest is a fake Genesys Cloud: a real HTTP server that speaks
// the wire format of the Platform API and of the login (OAuth) host, as
// the official SDKs' models describe it (docs/upstreams.md).
//
// One base URL serves both hosts: /oauth/* (login.<env>) and /api/v2/*
// (api.<env>). It is usable from tests, from the long-running demo and from
// browser tests: nothing here depends on package testing.
//
//	s := genesystest.NewServerT(t) // closed when the test ends
//	s.AddClient(genesystest.Client{ID: "bg", Secret: "s3cret"})
//	u := s.AddUser(genesystest.User{Name: "Ann Agent", Email: "ann@example.com"})
//	tok := s.UserToken(u.ID)
//
// What it models: client-credentials, authorization-code (with PKCE) and
// implicit grants with a clickable login page; users, organizations, tokens;
// conversations and participant attributes; routing queues and wrap-up codes;
// analytics conversation details (sync query and async jobs); integrations;
// roles, groups and OAuth clients (what an installer creates). Every response
// carries ININ-Correlation-Id; errors use the Genesys error body; listings
// page with relative nextUri.
//
// Test hooks: Fault injects latency, error statuses, 429 with Retry-After and
// dropped connections per route, queued per route as in appbasetest (the
// plumbing both fakes share is internal/fakehttp); Requests counts calls per route; ExpireTokens
// invalidates every issued token. Routes are named "METHOD /path/{param}";
// parameter names do not matter ("GET /api/v2/users/{id}" and
// "GET /api/v2/users/{userId}" are the same route).
//
// The fake does not import the client package genesys on purpose: it must
// stay an independent description of the wire, so client bugs cannot hide in
// shared code.
package genesystest
