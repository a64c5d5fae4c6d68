package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dcmconnect/api"
	"dcmconnect/genesys/genesystest"
)

const callsRoute = "POST /api/v2/conversations/calls"

func dialRequest(t *testing.T, ctx context.Context, base, token, key string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/dcm-connect-service/DCMServices.asmx/ClickToDial", strings.NewReader(`{"number":"+1 415 555 0101"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set(api.IdempotencyHeader, key)
	}
	return req
}

func dialID(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var out struct {
		D struct{ ConversationID string } `json:"d"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.D.ConversationID == "" {
		t.Fatalf("ClickToDial = %d %+v (%v)", resp.StatusCode, out, err)
	}
	return out.D.ConversationID
}

// The dial's answer is lost (the page gives up while Genesys is slow) and the
// page re-sends the same action: exactly one call is placed, and the replay
// gets the first call's answer.
func TestReplayedDialPlacesOneCall(t *testing.T) {
	t.Parallel() // waits out real deadlines or latencies; needs little CPU
	const write = 5 * time.Second
	s := newIxStack(t, func(o *api.Options) { o.WriteTimeout = write })
	base := serveIx(t, s.h.Handler(), write)
	s.g.Fault(callsRoute, genesystest.Fault{Latency: time.Second, Times: 1})
	tok := s.tokens[ixAnn]

	first, giveUp := context.WithCancel(context.Background())
	lost := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(dialRequest(t, first, base, tok, "action-1"))
		if err == nil {
			resp.Body.Close()
		}
		lost <- err
	}()
	// Give up only once the dial has reached Genesys.
	deadline := time.Now().Add(write)
	for s.g.Requests(callsRoute) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the first dial never reached Genesys")
		}
		time.Sleep(time.Millisecond) // polling a counter, not ordering events
	}
	giveUp()
	if err := <-lost; err == nil {
		t.Fatal("the first request was expected to be abandoned")
	}

	resp, err := http.DefaultClient.Do(dialRequest(t, context.Background(), base, tok, "action-1"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Error("the replay was not answered from the first request")
	}
	id := dialID(t, resp)
	if n := s.g.Requests(callsRoute); n != 1 {
		t.Fatalf("calls placed = %d, want exactly 1", n)
	}
	if _, ok := s.g.Conversation(id); !ok {
		t.Fatalf("the replay's answer %s is not the call placed", id)
	}
	// Later replays too get that answer and place nothing.
	resp, err = http.DefaultClient.Do(dialRequest(t, context.Background(), base, tok, "action-1"))
	if err != nil {
		t.Fatal(err)
	}
	if again := dialID(t, resp); again != id || s.g.Requests(callsRoute) != 1 {
		t.Fatalf("second replay: %s, calls %d; want %s, 1", again, s.g.Requests(callsRoute), id)
	}
	// A new action (new key) is a new call.
	resp, err = http.DefaultClient.Do(dialRequest(t, context.Background(), base, tok, "action-2"))
	if err != nil {
		t.Fatal(err)
	}
	if other := dialID(t, resp); other == id || s.g.Requests(callsRoute) != 2 {
		t.Fatalf("new action: %s, calls %d; want a second call", other, s.g.Requests(callsRoute))
	}
}

func TestIdempotencyKeyChecks(t *testing.T) {
	s := newIxStack(t)
	call := func(user, key, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/LogInteraction", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+s.tokens[user])
		req.Header.Set(api.IdempotencyHeader, key)
		w := httptest.NewRecorder()
		s.h.Handler().ServeHTTP(w, req)
		var out map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	connect := `{"conversationId":"` + ixConv + `","event":"connect"}`
	if code, out := call(ixAnn, "k1", connect); code != 200 {
		t.Fatalf("first = %d %v", code, out)
	}
	// The same key for another request is refused, naming the header.
	code, out := call(ixAnn, "k1", `{"conversationId":"`+ixConv+`","event":"disconnect"}`)
	if msg, _ := out["Message"].(string); code != 400 || !strings.Contains(msg, api.IdempotencyHeader) {
		t.Errorf("reused key = %d %v", code, out)
	}
	// Keys are per caller: Carla's k1 is not Ann's (and she gets her own answer).
	if code, out := call(ixCarla, "k1", `{"conversationId":"`+ixCarlaConv+`","event":"connect"}`); code == 400 {
		t.Errorf("another caller's key collided: %d %v", code, out)
	}
	code, out = call(ixAnn, "bad key with spaces", connect)
	if msg, _ := out["Message"].(string); code != 400 || !strings.Contains(msg, api.IdempotencyHeader) {
		t.Errorf("bad key = %d %v", code, out)
	}
}
