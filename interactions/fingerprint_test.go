package interactions

import (
	"maps"
	"reflect"
	"testing"
	"time"

	"dcmconnect/appbase"
)

// The fingerprint changes exactly when the inputs the upsert sends change:
// each field changed alone, an empty mapped field added (not sent), a
// mapped field's value moved to another name, a value moved between
// neighbouring fields.
func TestFingerprintFollowsTheUpsertInputs(t *testing.T) {
	T := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	base := appbase.Interaction{ConversationID: "c1", Direction: "inbound", MediaType: "voice", ANI: "+14155550101", DNIS: "+14155550199",
		QueueID: "q1", QueueName: "Support", AgentUserID: "u1", Start: T, End: T.Add(time.Minute), DurationSeconds: 60,
		WrapupCode: "w1", WrapupName: "Resolved", WrapupNotes: "ok", PartyID: "p1", CaseID: "k1",
		Fields: map[string]string{"CUSTOMERNAME": "Ann", "SEGMENT": "gold"}}
	edits := map[string]func(*appbase.Interaction){
		"conversation": func(in *appbase.Interaction) { in.ConversationID = "c2" },
		"direction":    func(in *appbase.Interaction) { in.Direction = "outbound" },
		"media":        func(in *appbase.Interaction) { in.MediaType = "chat" },
		"ani":          func(in *appbase.Interaction) { in.ANI = "+14155550102" },
		"dnis":         func(in *appbase.Interaction) { in.DNIS = "" },
		"queue":        func(in *appbase.Interaction) { in.QueueID = "q2" },
		"queue name":   func(in *appbase.Interaction) { in.QueueName = "Sales" },
		"agent":        func(in *appbase.Interaction) { in.AgentUserID = "u2" },
		"wrapup":       func(in *appbase.Interaction) { in.WrapupCode = "" },
		"wrapup name":  func(in *appbase.Interaction) { in.WrapupName = "Other" },
		"notes":        func(in *appbase.Interaction) { in.WrapupNotes = "ok." },
		"party":        func(in *appbase.Interaction) { in.PartyID = "" },
		"case":         func(in *appbase.Interaction) { in.CaseID = "k2" },
		"start ms":     func(in *appbase.Interaction) { in.Start = in.Start.Add(time.Millisecond) },
		"end":          func(in *appbase.Interaction) { in.End = time.Time{} },
		"duration":     func(in *appbase.Interaction) { in.DurationSeconds = 61 },
		"field value":  func(in *appbase.Interaction) { in.Fields["SEGMENT"] = "silver" },
		"field gone":   func(in *appbase.Interaction) { delete(in.Fields, "SEGMENT") },
		"field renamed": func(in *appbase.Interaction) {
			delete(in.Fields, "SEGMENT")
			in.Fields["TIER"] = "gold"
		},
		"value shifted": func(in *appbase.Interaction) { in.QueueID, in.QueueName = "q1S", "upport" },
		"empty field":   func(in *appbase.Interaction) { in.Fields["EMPTY"] = "" },
		"no change":     func(in *appbase.Interaction) {},
	}
	fp := fingerprint(base)
	for name, edit := range edits {
		in := base
		in.Fields = maps.Clone(base.Fields)
		edit(&in)
		same := maps.Equal(in.Params(), base.Params())
		if got := fingerprint(in) == fp; got != same {
			t.Errorf("%s: fingerprint unchanged = %v, but the upsert inputs unchanged = %v", name, got, same)
		}
	}
	// The map's order does not matter.
	many := base
	many.Fields = map[string]string{}
	for _, k := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R"} {
		many.Fields[k] = k + "v"
	}
	want := fingerprint(many)
	for range 20 {
		c := many
		c.Fields = maps.Clone(many.Fields)
		if fingerprint(c) != want {
			t.Fatal("the fingerprint depends on the fields' map order")
		}
	}
}

// Every field of appbase.Interaction, changed alone, changes the
// fingerprint whenever it changes what the upsert sends: a field added to
// the record later cannot be left out of it unnoticed.
func TestFingerprintCoversEveryField(t *testing.T) {
	T := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, base := range []appbase.Interaction{
		{ConversationID: "c1", Start: T, Fields: map[string]string{"A": "1"}},
		{ConversationID: "c1", PartyID: "p1", CaseID: "k1", ClearPartyID: true, ClearCaseID: true, Start: T, End: T, DurationSeconds: 5},
	} {
		ty := reflect.TypeOf(base)
		for i := range ty.NumField() {
			in := base
			in.Fields = maps.Clone(base.Fields)
			f := reflect.ValueOf(&in).Elem().Field(i)
			switch v := f.Addr().Interface().(type) {
			case *string:
				*v += "x"
			case *bool:
				*v = !*v
			case *int:
				*v++
			case *time.Time:
				*v = v.Add(time.Second)
			case *map[string]string:
				*v = map[string]string{"A": "2"}
			default:
				t.Fatalf("field %s (%s): teach this test to change it", ty.Field(i).Name, f.Type())
			}
			if maps.Equal(in.Params(), base.Params()) {
				continue // not sent as it stands (a clear marker beside a value)
			}
			if fingerprint(in) == fingerprint(base) {
				t.Errorf("changing %s changes the upsert inputs but not the fingerprint", ty.Field(i).Name)
			}
		}
	}
}
