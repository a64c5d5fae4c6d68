package genesystest

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The content endpoints answer in their official models' shapes
// (platformclientv2), with what the test set and nothing else.
func TestConversationContentFollowsTheModels(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	c := s.AddConversation(Conversation{Participants: []Participant{{Purpose: "customer"}}})
	base := "/api/v2/conversations/"
	// Unknown conversations are 404 on every content route.
	for _, p := range []string{base + "nope/summaries", base + "nope/recordingmetadata", base + "messages/nope", base + "emails/nope/messages"} {
		wantStatus(t, api(t, s, "GET", p, tok, nil), http.StatusNotFound)
	}
	// No summary yet: an empty list (as in the seconds after after-call work starts).
	m := api(t, s, "GET", base+c.ID+"/summaries", tok, nil).json(t)
	if ss, ok := m["sessionSummaries"].([]any); !ok || len(ss) != 0 {
		t.Fatalf("summaries before any: %v", m)
	}
	at := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	s.SetSummaries(c.ID, Summary{Text: "t", EditedText: "e", Reason: "r", Resolution: "res", Followup: "f", Created: at})
	m = api(t, s, "GET", base+c.ID+"/summaries", tok, nil).json(t)
	wantOnlyKeys(t, "summaries", m, "conversation", "summary", "sessionSummaries") // Conversationsummariesgetresponse
	ss := m["sessionSummaries"].([]any)[0].(map[string]any)
	// Model: platformclientv2.Conversationsessionsummary.
	wantOnlyKeys(t, "session summary", ss, "id", "text", "confidence", "status", "mediaType", "language", "predictedWrapupCodes",
		"editedSummary", "reason", "followup", "resolution", "dateCreated", "communication", "participants", "conversation")
	wantKeys(t, "session summary", ss, "id", "text", "status", "mediaType", "editedSummary", "reason", "followup", "resolution", "dateCreated")
	wantOnlyKeys(t, "reason", ss["reason"].(map[string]any), "confidence", "text", "description") // Conversationsummaryreason

	s.SetRecordings(c.ID, Recording{Media: "audio", Start: at, End: at.Add(time.Minute)})
	var recs []map[string]any
	if err := json.Unmarshal(api(t, s, "GET", base+c.ID+"/recordingmetadata", tok, nil).body, &recs); err != nil || len(recs) != 1 {
		t.Fatalf("recordingmetadata: %v %v", recs, err)
	}
	// Model: platformclientv2.Recordingmetadata: metadata, never a media URI.
	wantKeys(t, "recording", recs[0], "id", "conversationId", "media", "fileState", "startTime", "endTime", "selfUri")
	wantNoKeys(t, "recording", recs[0], "mediaUris", "mediaUri")

	s.SetMessages(c.ID, Message{ID: "m1", Direction: "inbound", Text: "hello", Time: at}, Message{ID: "m2", Direction: "outbound", Text: "hi", Time: at.Add(time.Second)})
	mc := api(t, s, "GET", base+"messages/"+c.ID, tok, nil).json(t) // Messageconversation
	var ids []string
	for _, p := range mc["participants"].([]any) {
		for _, d := range p.(map[string]any)["messages"].([]any) {
			md := d.(map[string]any)
			wantOnlyKeys(t, "message details", md, "messageId", "messageURI", "messageStatus", "messageSegmentCount", "messageTime",
				"media", "stickers", "messageMetadata", "socialVisibility", "errorInfo") // Messagedetails
			ids = append(ids, md["messageId"].(string))
		}
	}
	if len(ids) != 2 {
		t.Fatalf("message ids %v", ids)
	}
	bulk := api(t, s, "POST", base+"messages/"+c.ID+"/messages/bulk", tok, ids).json(t) // Textmessagelisting
	ents := bulk["entities"].([]any)
	if len(ents) != 2 || ents[0].(map[string]any)["textBody"] != "hello" {
		t.Fatalf("bulk: %v", bulk)
	}
	wantKeys(t, "message data", ents[0].(map[string]any), "id", "timestamp", "direction", "textBody", "messengerType", "conversationId") // Messagedata

	s.SetEmails(c.ID, EmailMessage{ID: "e1", From: "a@example.com", To: "b@example.com", Subject: "s", Text: "body text", Time: at})
	list := api(t, s, "GET", base+"emails/"+c.ID+"/messages", tok, nil).json(t) // Emailmessagepreviewlisting
	prev := list["entities"].([]any)[0].(map[string]any)
	wantNoKeys(t, "email preview", prev, "textBody", "htmlBody")                 // Emailmessagepreview has textBodyPreview only
	em := api(t, s, "GET", base+"emails/"+c.ID+"/messages/e1", tok, nil).json(t) // Emailmessage
	if em["textBody"] != "body text" || em["subject"] != "s" {
		t.Fatalf("email: %v", em)
	}
	wantNoKeys(t, "email", em, "textBodyPreview")
}
