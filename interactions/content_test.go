package interactions

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/genesys/genesystest"
)

const secretPhrase = "my account password is hunter2"

// messaging is a web-messaging conversation from an unauthenticated
// "Guest", answered by agentID, ended and wrapped up.
func messaging(id, agentID string, attrs map[string]string, start time.Time) genesystest.Conversation {
	connected, end := start.Add(10*time.Second), start.Add(5*time.Minute)
	return genesystest.Conversation{ID: id, OriginatingDirection: "inbound", StartTime: start, EndTime: &end,
		Participants: []genesystest.Participant{
			{Purpose: "customer", Name: "Guest", Address: "f9d9a3c2-0000-4000-8000-00000000aaaa", Attributes: attrs, StartTime: start, EndTime: &end,
				Messages: []genesystest.Media{{State: "disconnected", Direction: "inbound", ConnectedTime: &connected, DisconnectedTime: &end}}},
			{Purpose: "acd", Name: "Support", QueueID: supportQ, StartTime: start},
			{Purpose: "agent", UserID: agentID, QueueID: supportQ, StartTime: connected, ConnectedTime: &connected, EndTime: &end, WrapupRequired: true,
				Wrapup:   &genesystest.Wrapup{Code: resolved, Notes: "done"},
				Messages: []genesystest.Media{{State: "disconnected", Direction: "inbound", ConnectedTime: &connected, DisconnectedTime: &end}}},
		}}
}

// contentWorld logs a wrapped-up conversation with a Service that logs to
// a buffer and links to a Genesys apps URL, and waits for the follow-up.
func contentWorld(t *testing.T, w *world, conv genesystest.Conversation, edit func(*Options)) (*bytes.Buffer, *prometheus.Registry) {
	t.Helper()
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	svc := w.serviceWith(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		o.Registerer = reg
		o.GenesysAppsURL = "https://apps.mypurecloud.ie"
		o.SummaryWait = time.Second
		if edit != nil {
			edit(o)
		}
	})
	start := time.Now()
	clk := &virtualClock{t: start, start: start}
	svc.now, svc.after = clk.now, clk.after
	done := make(chan string, 1)
	svc.onSummary = func(string, string) { done <- "" }
	w.g.AddConversation(conv)
	if _, err := svc.LogInteraction(context.Background(), conv.ID, EventWrapup, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	outcome(t, done)
	return &logs, reg
}

// A messaging transcript lands in TRANSCRIPT, oldest first, and a recorded
// interaction gets a link to its Genesys page; neither the text nor any
// part of it reaches the logs or the metrics.
func TestTranscriptAndRecordingLink(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Second)
	w.g.SetMessages(convOne,
		genesystest.Message{Direction: "outbound", Text: "Sure, I can help", Time: t0.Add(30 * time.Second)},
		genesystest.Message{Direction: "inbound", Text: "Hello, " + secretPhrase, Time: t0.Add(5 * time.Second)})
	w.g.SetRecordings(convOne, genesystest.Recording{Media: "message", Start: t0, End: t0.Add(5 * time.Minute)})
	logs, reg := contentWorld(t, w, messaging(convOne, annID, nil, t0), nil)

	rec, _ := w.sj.Interaction(convOne)
	want := "[" + t0.Add(5*time.Second).Format(time.RFC3339) + "] customer: Hello, " + secretPhrase + "\n[" +
		t0.Add(30*time.Second).Format(time.RFC3339) + "] agent: Sure, I can help"
	if rec.Fields["TRANSCRIPT"] != want {
		t.Errorf("TRANSCRIPT =\n%s\nwant\n%s", rec.Fields["TRANSCRIPT"], want)
	}
	if got := rec.Fields["RECORDINGURL"]; got != "https://apps.mypurecloud.ie/directory/#/analytics/interactions/"+convOne+"/admin" {
		t.Errorf("RECORDINGURL = %q", got)
	}
	if rec.MediaType != "message" || rec.WrapupCode != resolved {
		t.Errorf("record: %+v", rec)
	}
	var metrics bytes.Buffer
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		metrics.WriteString(mf.String())
	}
	for what, text := range map[string]string{"logs": logs.String(), "metrics": metrics.String()} {
		for _, leak := range []string{"hunter2", "Sure, I can help"} {
			if strings.Contains(text, leak) {
				t.Errorf("the %s carry transcript text %q", what, leak)
			}
		}
	}
	if !strings.Contains(metrics.String(), `value:"get_messages"`) {
		t.Error("the transcript reads are not counted")
	}
}

// A transcript over the cap is cut, ending with the marker.
func TestTranscriptOverTheCapIsCut(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().UTC().Add(-10 * time.Minute)
	var ms []genesystest.Message
	for i := 0; i < 50; i++ {
		ms = append(ms, genesystest.Message{Direction: "inbound", Text: strings.Repeat("long message ", 10), Time: t0.Add(time.Duration(i) * time.Second)})
	}
	w.g.SetMessages(convOne, ms...)
	contentWorld(t, w, messaging(convOne, annID, nil, t0), func(o *Options) { o.TranscriptMaxChars = 500 })
	rec, _ := w.sj.Interaction(convOne)
	got := rec.Fields["TRANSCRIPT"]
	if n := len([]rune(got)); n != 500 || !strings.HasSuffix(got, "characters in all ...]") || !strings.HasPrefix(got, "[") {
		t.Errorf("transcript of %d characters ending %q", n, got[max(0, len(got)-50):])
	}
	if rec.Fields["RECORDINGURL"] != "" {
		t.Errorf("a link without a recording: %q", rec.Fields["RECORDINGURL"])
	}
}

// An e-mail conversation's bodies make its transcript.
func TestEmailTranscript(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	c := messaging(convOne, annID, nil, t0)
	for i := range c.Participants {
		p := &c.Participants[i]
		p.Emails, p.Messages = p.Messages, nil
	}
	c.Participants[0].Address = "alice@customer.example"
	w.g.SetEmails(convOne, genesystest.EmailMessage{From: "alice@customer.example", To: "support@example.com", Subject: "Router", Text: "It reboots.", Time: t0})
	contentWorld(t, w, c, nil)
	rec, _ := w.sj.Interaction(convOne)
	want := "[" + t0.Format(time.RFC3339) + "] From alice@customer.example, subject \"Router\":\nIt reboots."
	if rec.MediaType != "email" || rec.Fields["TRANSCRIPT"] != want {
		t.Errorf("media %q TRANSCRIPT %q; want %q", rec.MediaType, rec.Fields["TRANSCRIPT"], want)
	}
}
