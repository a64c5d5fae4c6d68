package genesys

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each testdata/*.json is an example body built field by field from the
// official model of an endpoint the client reads (platformclientv2 in
// github.com/MyPureCloud/platform-client-sdk-go, and the tables in
// platform-client-sdk-python build/docs/<Model>.md). Each is served by
// the fake and read through the client's own call, so a renamed or
// retyped field fails here.

func serveExample(t *testing.T, f *fake, pattern, file string, status int) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	f.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "3")
		}
		w.WriteHeader(status)
		w.Write(body)
	})
}

func TestOfficialExampleBodiesDecode(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxRetries = -1 })
	ctx := context.Background()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		model, pattern, file string
		status               int
		call                 func() error
	}{
		{"Messageconversation", "GET /api/v2/conversations/messages/{id}", "message_conversation.json", 200, func() error {
			mc, err := e.c.Conversations.MessageConversation(ctx, "c0a1b2c3-0000-4000-8000-000000000002")
			if err != nil {
				return err
			}
			if len(mc.Participants) != 2 || mc.Participants[0].Purpose != "customer" || len(mc.Participants[1].Messages) != 1 ||
				mc.Participants[1].Messages[0].MessageID != "m0000000-0000-4000-8000-000000000002" || !mc.Participants[0].Messages[0].MessageTime.Equal(at("2026-01-01T10:00:02Z")) {
				return errors.New("message conversation fields")
			}
			return nil
		}},
		{"Textmessagelisting", "POST /api/v2/conversations/messages/{id}/messages/bulk", "messages_bulk.json", 200, func() error {
			ms, err := e.c.Conversations.Messages(ctx, "c0a1b2c3-0000-4000-8000-000000000002", []string{"m0000000-0000-4000-8000-000000000001", "m0000000-0000-4000-8000-000000000002"})
			if err != nil {
				return err
			}
			if len(ms) != 2 || ms[0].Direction != "inbound" || ms[0].TextBody != "My router keeps rebooting" || ms[1].MessengerType != "open" || !ms[1].Timestamp.Equal(at("2026-01-01T10:00:40Z")) {
				return errors.New("message data fields")
			}
			return nil
		}},
		{"Emailmessagepreviewlisting", "GET /api/v2/conversations/emails/{id}/messages", "email_messages.json", 200, func() error {
			es, err := e.c.Conversations.EmailMessages(ctx, "c0a1b2c3-0000-4000-8000-000000000003")
			if err != nil {
				return err
			}
			if len(es) != 1 || es[0].From.Email != "alice@customer.example" || es[0].Subject != "Router keeps rebooting" || es[0].TextBody != "" || es[0].TextBodyPreview == "" {
				return errors.New("email preview fields")
			}
			return nil
		}},
		{"Emailmessage", "GET /api/v2/conversations/emails/{id}/messages/{messageId}", "email_message.json", 200, func() error {
			em, err := e.c.Conversations.EmailMessage(ctx, "c0a1b2c3-0000-4000-8000-000000000003", "e0000000-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if em.TextBody != "Hello, my router keeps rebooting every hour." || em.To[0].Email != "support@example.com" || !em.Time.Equal(at("2026-01-01T09:00:00Z")) {
				return errors.New("email fields")
			}
			return nil
		}},
		{"Recordingmetadata", "GET /api/v2/conversations/c0a1b2c3-0000-4000-8000-000000000001/recordingmetadata", "recordingmetadata.json", 200, func() error {
			rs, err := e.c.Conversations.RecordingMetadata(ctx, "c0a1b2c3-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if len(rs) != 1 || rs[0].Media != "audio" || rs[0].FileState != "AVAILABLE" || rs[0].ConversationID != "c0a1b2c3-0000-4000-8000-000000000001" {
				return errors.New("recording metadata fields")
			}
			return nil
		}},
		{"Conversationsummariesgetresponse", "GET /api/v2/conversations/c0a1b2c3-0000-4000-8000-000000000001/summaries", "conversation_summaries.json", 200, func() error {
			s, err := e.c.Conversations.Summaries(ctx, "c0a1b2c3-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if len(s.SessionSummaries) != 1 {
				return errors.New("sessionSummaries")
			}
			ss := s.SessionSummaries[0]
			if ss.Status != "Complete" || ss.MediaType != "Call" || !strings.HasPrefix(ss.Text, "Customer called") || ss.EditedSummary == nil ||
				ss.EditedSummary.Text != "Router rebooting; firmware updated on the call." || ss.Reason.Text != "Router keeps rebooting" ||
				ss.Followup.Text != "Call back in two days to confirm" || ss.Resolution.Outcome != "Resolved" || !ss.DateCreated.Equal(at("2026-01-01T10:05:42Z")) {
				return errors.New("summary fields")
			}
			return nil
		}},
		{"Conversation", "GET /api/v2/conversations/{id}", "conversation.json", 200, func() error {
			c, err := e.c.Conversations.Get(ctx, "c0a1b2c3-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if len(c.Participants) != 2 || c.RecordingState != "ACTIVE" || c.Divisions[0].Division.Name != "Home" {
				return errors.New("conversation fields")
			}
			cust, ag := c.Participants[0], c.Participants[1]
			if cust.Attributes["CaseId"] != "CASE-0001" || cust.Calls[0].Self.AddressNormalized != "tel:+14155550101" ||
				!cust.Calls[0].Recording || len(cust.Screenshares) != 1 || cust.Screenshares[0].State != "connected" {
				return errors.New("customer participant fields")
			}
			if ag.Wrapup.Code != "w0000000-0000-4000-8000-000000000001" || ag.Wrapup.DurationSeconds != 30 ||
				!ag.StartAcwTime.Equal(at("2026-03-02T09:05:00Z")) || !ag.EndAcwTime.Equal(at("2026-03-02T09:06:00Z")) ||
				ag.Calls[0].AfterCallWork.State != "complete" || !ag.Calls[0].AfterCallWorkRequired ||
				len(ag.Videos) != 1 || ag.Videos[0].AfterCallWork.State != "complete" ||
				len(ag.SocialExpressions) != 1 || len(ag.Cobrowsesessions) != 1 {
				return errors.New("agent participant fields")
			}
			if n := len(ag.Legs()); n != 4 {
				return errors.New("agent legs: want call, video, social expression, cobrowse")
			}
			return nil
		}},
		{"UserMe (expand=organization,authorization,groups)", "GET /api/v2/users/me", "users_me.json", 200, func() error {
			u, err := e.c.Users.Me(ctx, "organization", "authorization", "groups")
			if err != nil {
				return err
			}
			if u.ID == "" || u.Organization.ID != "o0000000-0000-4000-8000-000000000001" || len(u.Authorization.Permissions) != 2 ||
				u.Groups[0].Name != "DCM_Agents" || u.Email != "ann@example.com" {
				return errors.New("users/me fields")
			}
			return nil
		}},
		{"TokenInfo", "GET /api/v2/tokens/me", "tokens_me.json", 200, func() error {
			ti, err := e.c.Tokens.Me(ctx)
			if err != nil {
				return err
			}
			if ti.Organization.ID == "" || !ti.DateTokenIdles.Equal(at("2026-03-03T09:00:00Z")) || ti.OAuthClient.Name != "DCM Connect browser" {
				return errors.New("tokens/me fields")
			}
			return nil
		}},
		{"Organization", "GET /api/v2/organizations/me", "organization.json", 200, func() error {
			o, err := e.c.Organizations.Me(ctx)
			if err != nil {
				return err
			}
			if o.ID != "o0000000-0000-4000-8000-000000000001" || o.ThirdPartyOrgName != "example" || o.Version != 12 {
				return errors.New("organization fields")
			}
			return nil
		}},
		{"IntegrationConfiguration", "GET /api/v2/integrations/{id}/config/current", "integration_config.json", 200, func() error {
			c, err := e.c.Integrations.GetConfig(ctx, "i0000000-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if c.Name != "DCM Connect" || c.Version != 2 || c.Properties["displayType"] != "widget" {
				return errors.New("config fields")
			}
			return nil
		}},
		{"IntegrationEntityListing", "GET /api/v2/integrations", "integrations.json", 200, func() error {
			p, err := e.c.Integrations.List(ctx, nil)
			if err != nil {
				return err
			}
			in := p.Entities[0]
			if p.Total != 1 || in.IntendedState != "ENABLED" || in.ReportedState.Code != "ACTIVE" ||
				in.IntegrationType.ID != "embedded-client-app-interaction-widget" || in.Config.Current.Version != 2 {
				return errors.New("integration listing fields")
			}
			return nil
		}},
		{"UsersSearchResponse", "POST /api/v2/users/search", "users_search.json", 200, func() error {
			us, err := e.c.Users.SearchByEmail(ctx, "ann@example.com")
			if err != nil {
				return err
			}
			if len(us) != 1 || us[0].Username != "ann@example.com" || us[0].State != "active" {
				return errors.New("user search fields")
			}
			return nil
		}},
		{"GroupsSearchResponse", "POST /api/v2/groups/search", "groups_search.json", 200, func() error {
			gs, err := e.c.Groups.Search(ctx, "DCM_")
			if err != nil {
				return err
			}
			if len(gs) != 1 || gs[0].Type != "official" || gs[0].Visibility != "public" || gs[0].MemberCount != 2 {
				return errors.New("group search fields")
			}
			return nil
		}},
		{"AnalyticsConversationQueryResponse", "POST /api/v2/analytics/conversations/details/query", "analytics_query.json", 200, func() error {
			r, err := e.c.Analytics.QueryConversationDetails(ctx, &ConversationQuery{Interval: "2026-03-02T00:00:00Z/2026-03-03T00:00:00Z"})
			if err != nil {
				return err
			}
			a := r.Conversations[0].Participants[1]
			if r.TotalHits != 1 || a.UserID == "" || a.Sessions[0].MediaType != "voice" ||
				a.Sessions[0].Segments[1].WrapUpCode != "w0000000-0000-4000-8000-000000000001" {
				return errors.New("analytics fields")
			}
			return nil
		}},
		{"CreateCallResponse", "POST /api/v2/conversations/calls", "create_call.json", 200, func() error {
			id, err := e.c.Conversations.CreateCall(ctx, &CreateCallRequest{PhoneNumber: "+14155550101"})
			if err != nil {
				return err
			}
			if id != "c0a1b2c3-0000-4000-8000-000000000009" {
				return errors.New("call id")
			}
			return nil
		}},
		{"WrapupCode", "GET /api/v2/routing/wrapupcodes/{id}", "wrapupcode.json", 200, func() error {
			w, err := e.c.Routing.GetWrapupCode(ctx, "w0000000-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if w.Name != "Resolved" {
				return errors.New("wrap-up code name")
			}
			return nil
		}},
		{"Queue", "GET /api/v2/routing/queues/{id}", "queue.json", 200, func() error {
			q, err := e.c.Routing.GetQueue(ctx, "q0000000-0000-4000-8000-000000000001")
			if err != nil {
				return err
			}
			if q.Name != "Support" {
				return errors.New("queue name")
			}
			return nil
		}},
		{"ErrorBody (429)", "GET /api/v2/users/{id}", "error_429.json", 429, func() error {
			_, err := e.c.Users.Get(ctx, "a0000000-0000-4000-8000-000000000001")
			var ge *Error
			if !errors.As(err, &ge) {
				return errors.New("no *Error from a 429")
			}
			if ge.Code != "too.many.requests.retry.after" || !strings.Contains(ge.Message, "Retry the request in [3] seconds") || ge.RetryAfter != 3*time.Second {
				return errors.New("error body fields")
			}
			return nil
		}},
	} {
		serveExample(t, e.f, tc.pattern, tc.file, tc.status)
		if err := tc.call(); err != nil {
			t.Errorf("%s (testdata/%s): %v", tc.model, tc.file, err)
		}
	}
}
