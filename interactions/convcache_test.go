package interactions

import (
	"context"
	"errors"
	"testing"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
)

const convRoute = "GET /api/v2/conversations/{conversationId}"

// Page calls read the conversation with the caller's own token, and one
// read serves the pop and the connect log; a disconnect log reads again
// (the cached copy shows the call live) and so does the wrap-up log.
func TestOneConversationReadServesPopAndConnectLog(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Millisecond)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, t0))
	ctx := WithCallerToken(context.Background(), w.g.UserToken(annID))
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if n := w.g.Requests(convRoute); n != 1 {
		t.Fatalf("pop + connect log read the conversation %d times, want 1", n)
	}
	if err := w.g.UpdateConversation(convOne, func(c *genesystest.Conversation) { end(c, t0.Add(5*time.Minute)) }); err != nil {
		t.Fatal(err)
	}
	res, err := w.svc.LogInteraction(ctx, convOne, EventDisconnect, annID, RecordIDs{})
	if err != nil || !res.Ended {
		t.Fatalf("disconnect: %+v, %v", res, err)
	}
	if n := w.g.Requests(convRoute); n != 2 {
		t.Fatalf("disconnect did not read the conversation again (%d reads)", n)
	}

	// A refused caller token is the caller's problem, not hidden behind the
	// background token.
	bad := WithCallerToken(context.Background(), "not-a-token")
	_, err = w.svc.ScreenPop(bad, convOne, annID)
	var ue *UpstreamError
	if !errors.As(err, &ue) || !errors.Is(err, genesys.ErrUnauthorized) {
		t.Fatalf("pop with a refused caller token: %v", err)
	}
}
