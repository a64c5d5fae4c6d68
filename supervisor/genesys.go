package supervisor

import (
	"context"
	"time"

	"dcmconnect/genesys"
)

// GenesysSource is the Source that reads the supervisor page's data from Genesys Cloud
// with the client-credentials token (the client's default).
type GenesysSource struct{ Client *genesys.Client }

// Agents lists active users with presence and routing status: GET
// /api/v2/users?expand=presence,routingStatus, 100 a page (docs/upstreams.md; the
// largest page commonly seen accepted for users).
func (g GenesysSource) Agents(ctx context.Context) ([]genesys.User, error) {
	return g.Client.Users.ListAll(ctx, &genesys.UserListOptions{PageSize: 100, State: "active", Expand: []string{"presence", "routingStatus"}})
}

// Conversations runs the synchronous analytics details query over [from, to)
// (POST /api/v2/analytics/conversations/details/query, docs/upstreams.md), every page.
func (g GenesysSource) Conversations(ctx context.Context, from, to time.Time) ([]genesys.AnalyticsConversation, error) {
	const layout = "2006-01-02T15:04:05.000Z"
	return g.Client.Analytics.QueryAllConversationDetails(ctx, &genesys.ConversationQuery{
		Interval: from.UTC().Format(layout) + "/" + to.UTC().Format(layout),
		Order:    "asc", OrderBy: "conversationStart",
		Paging: &genesys.PagingSpec{PageSize: 100, PageNumber: 1},
	})
}

// QueueName is GET /api/v2/routing/queues/{id}.
func (g GenesysSource) QueueName(ctx context.Context, id string) (string, error) {
	q, err := g.Client.Routing.GetQueue(ctx, id)
	if err != nil {
		return "", err
	}
	return q.Name, nil
}
