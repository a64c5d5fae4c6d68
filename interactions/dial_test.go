package interactions

import (
	"context"
	"errors"
	"testing"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
)

func appbasetestFault() appbasetest.Fault { return appbasetest.Fault{Drop: true} }

func TestDialPlacesTheCallAsTheUser(t *testing.T) {
	w := newWorld(t)
	token := w.g.UserToken(annID)
	id, err := w.svc.Dial(context.Background(), token, "(415) 555-0101")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := w.g.Conversation(id)
	if !ok {
		t.Fatalf("no conversation %s in the fake", id)
	}
	var agent, customer bool
	for _, p := range c.Participants {
		if p.UserID == annID {
			agent = true
		}
		if p.Purpose == "customer" && p.Address == "tel:"+aliceNum {
			customer = true
		}
	}
	if !agent || !customer {
		t.Fatalf("call not placed from Ann to %s: %+v", aliceNum, c.Participants)
	}
	// The call shows on the agent page like any other.
	pop, err := w.svc.ScreenPop(context.Background(), id, annID)
	if err != nil || pop.Direction != "outbound" || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "P-1" {
		t.Fatalf("pop of the dialled call: %+v, %v", pop, err)
	}
}

func TestDialRefusals(t *testing.T) {
	w := newWorld(t)
	var ie *InputError
	if _, err := w.svc.Dial(context.Background(), w.g.UserToken(annID), "call me"); !errors.As(err, &ie) {
		t.Errorf("bad number: %v", err)
	}
	if n := w.g.Requests("POST /api/v2/conversations/calls"); n != 0 {
		t.Errorf("a bad number reached Genesys (%d calls)", n)
	}
	if _, err := w.svc.Dial(context.Background(), "not-a-token", aliceNum); !errors.Is(err, genesys.ErrUnauthorized) {
		t.Errorf("bad token: %v", err)
	}
}
