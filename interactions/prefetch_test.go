package interactions

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A read started by Prefetch serves the pop of the same token and
// conversation (one Genesys read in all, and the connect log reuses it); a
// pop with another token reads for itself; a prefetched 404 is the pop's
// ErrConversationGone.
func TestPrefetchServesOnlyThePopOfItsToken(t *testing.T) {
	w := newWorld(t)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, time.Now().UTC().Add(-time.Minute)))
	ann := w.g.UserToken(annID)
	ctx := WithCallerToken(context.Background(), ann)

	w.svc.Prefetch(context.Background(), ann, convOne)
	w.svc.Prefetch(context.Background(), ann, convOne) // held already: no second read
	pop, err := w.svc.ScreenPop(ctx, convOne, annID)
	if err != nil || pop.Outcome != OutcomeOne {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if n := w.g.Requests(convRoute); n != 1 {
		t.Fatalf("prefetch + pop + connect log read the conversation %d times, want 1", n)
	}

	// Another token's read is not handed to this pop.
	w.svc.Prefetch(context.Background(), "someone-else", convOne)
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}
	p := w.svc.prefetched.take(prefetchKey("someone-else", convOne))
	if p == nil {
		t.Fatal("the pop took another token's read")
	}
	<-p.done
	if n := w.g.Requests(convRoute); n != 3 {
		t.Fatalf("reads = %d, want 3 (the stranger's prefetch and the pop's own read)", n)
	}

	const gone = "c0000000-0000-4000-8000-00000000dead"
	w.svc.Prefetch(context.Background(), ann, gone)
	if _, err := w.svc.ScreenPop(ctx, gone, annID); !errors.Is(err, ErrConversationGone) {
		t.Fatalf("prefetched 404: %v", err)
	}
}
