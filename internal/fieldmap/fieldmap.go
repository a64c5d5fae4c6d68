// Package fieldmap reads the interaction field mapping (config
// interactions.fields): which UPSERTINTERACTION rule input gets which value.
// A source is a participant attribute ("attr:OrderNumber"), a conversation
// field ("queue.name"), a constant ("const:Genesys") or "off" (do not send a
// default input). Config checks sources with it; interactions resolves them.
package fieldmap

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Kind is what a source reads.
type Kind int

const (
	// Field is a conversation field (Fields lists them).
	Field Kind = iota + 1
	// Attr is a participant attribute (participant data), customer first.
	Attr
	// Const is a fixed text.
	Const
	// Off removes a default mapping.
	Off
)

// Source is one parsed source.
type Source struct {
	Kind Kind
	// Name is the field or attribute name, or the constant's text.
	Name string
}

func (s Source) String() string {
	switch s.Kind {
	case Attr:
		return "attr:" + s.Name
	case Const:
		return "const:" + s.Name
	case Off:
		return "off"
	}
	return s.Name
}

// Fields are the conversation fields a source may name, with what they hold.
var Fields = map[string]string{
	"conversationId": "the Genesys conversation id",
	"direction":      "inbound or outbound",
	"mediaType":      "voice, chat, email, message, callback, ...",
	"ani":            "the customer's number (or e-mail address for e-mail)",
	"dnis":           "the number the customer called",
	"queue.id":       "the queue the agent took the interaction from",
	"queue.name":     "its name",
	"agent.id":       "the agent's ServiceJourney user id",
	"start":          "conversation start, ISO-8601 UTC",
	"end":            "conversation end",
	"duration":       "whole seconds",
	"wrapup.code":    "the wrap-up code id",
	"wrapup.name":    "the wrap-up code name",
	"wrapup.notes":   "the agent's wrap-up notes",
	"party.id":       "the ServiceJourney party record",
	"case.id":        "the ServiceJourney case record",
	"customer.name":  "the customer participant's name",
	"agents":         "every agent who handled the conversation (ServiceJourney user ids, comma-separated, in order)",
	// Written after wrap-up, when Genesys has an AI summary (within interactions.summaryWait).
	"summary.text":       "the AI summary (the agent's edit when there is one)",
	"summary.reason":     "the AI summary's reason for contact",
	"summary.resolution": "the AI summary's resolution",
	"summary.followup":   "the AI summary's follow-up",
	// Written once the interaction is over.
	"transcript":    "message and e-mail bodies of a messaging or e-mail conversation (capped, with a visible marker)",
	"recording.url": "a link to the interaction in Genesys Cloud when it was recorded (never the media or a token)",
}

// FieldNames lists Fields sorted, for messages.
func FieldNames() []string {
	out := make([]string, 0, len(Fields))
	for k := range Fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Defaults are the inputs written, beyond the fixed set (appbase.Interaction),
// with no configuration: only the content Genesys produces after the
// interaction. A configured entry replaces one, "off" drops it.
var Defaults = map[string]string{
	"AGENTUSERIDS": "agents", "TRANSCRIPT": "transcript", "RECORDINGURL": "recording.url",
	"SUMMARY": "summary.text", "SUMMARYREASON": "summary.reason", "SUMMARYRESOLUTION": "summary.resolution", "SUMMARYFOLLOWUP": "summary.followup",
}

var (
	inputRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)
	attrRE  = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,128}$`)
)

// ParseSource reads one source. Field names are matched without regard to
// case; the error says what is wrong and how to write it.
func ParseSource(s string) (Source, error) {
	t := strings.TrimSpace(s)
	prefix, rest, ok := strings.Cut(t, ":")
	switch p := strings.ToLower(prefix); {
	case ok && p == "attr":
		name := strings.TrimSpace(rest)
		if !attrRE.MatchString(name) {
			return Source{}, bad(fmt.Sprintf("attribute name %q is not a participant data name", name), "use the name as Architect sets it (letters, digits, _ . -), e.g. attr:OrderNumber")
		}
		return Source{Kind: Attr, Name: name}, nil
	case ok && (p == "const" || p == "constant"):
		if len(rest) > 1000 {
			return Source{}, bad(fmt.Sprintf("the constant is %d characters long", len(rest)), "keep it under 1000 characters")
		}
		return Source{Kind: Const, Name: rest}, nil
	case !ok && strings.EqualFold(t, "off"):
		return Source{Kind: Off}, nil
	case ok:
		return Source{}, bad(fmt.Sprintf("%q has an unknown prefix %q", t, prefix), "write attr:<name>, const:<text>, a conversation field ("+strings.Join(FieldNames(), ", ")+") or off")
	}
	for name := range Fields {
		if strings.EqualFold(name, t) {
			return Source{Kind: Field, Name: name}, nil
		}
	}
	hint := ""
	if t == "" {
		return Source{}, bad("the source is empty", "write attr:<name>, const:<text>, a conversation field or off")
	}
	if sg := closest(t); sg != "" {
		hint = "did you mean " + sg + "? "
	}
	return Source{}, bad(fmt.Sprintf("unknown source %q", t), hint+"the conversation fields are "+strings.Join(FieldNames(), ", ")+"; a participant attribute is attr:"+t+", a fixed text const:"+t)
}

// Map is rule input (upper case) -> source.
type Map map[string]Source

// Parse reads configured entries over Defaults. Every bad entry is
// reported, each error naming its input.
func Parse(entries map[string]string) (Map, []error) {
	m := Map{}
	var errs []error
	add := func(input, src string) {
		in := strings.ToUpper(strings.TrimSpace(input))
		if !inputRE.MatchString(in) {
			errs = append(errs, &Error{Input: input, Err: bad(fmt.Sprintf("%q is not a rule input name", input), "use letters, digits and _ (e.g. ORDERNUMBER)")})
			return
		}
		s, err := ParseSource(src)
		if err != nil {
			errs = append(errs, &Error{Input: in, Err: err})
			return
		}
		if s.Kind == Off {
			delete(m, in)
			return
		}
		m[in] = s
	}
	for _, k := range sortedKeys(Defaults) {
		add(k, Defaults[k])
	}
	for _, k := range sortedKeys(entries) {
		add(k, entries[k])
	}
	return m, errs
}

// SourceError says what is wrong with an entry and how to fix it.
type SourceError struct{ Problem, Fix string }

func (e *SourceError) Error() string { return e.Problem + "; " + e.Fix }

func bad(problem, fix string) error { return &SourceError{problem, fix} }

// Error is a bad mapping entry.
type Error struct {
	Input string
	Err   error
}

func (e *Error) Error() string { return e.Input + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Values resolves every input with the lookups given (field by Fields
// name, attribute by participant data name); empty values are left out,
// so an upsert never blanks what an earlier write set.
func (m Map) Values(field, attr func(string) string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for in, s := range m {
		var v string
		switch s.Kind {
		case Field:
			v = field(s.Name)
		case Attr:
			v = attr(s.Name)
		case Const:
			v = s.Name
		}
		if v != "" {
			out[in] = v
		}
	}
	return out
}

// Inputs lists the mapped inputs, sorted.
func (m Map) Inputs() []string { return sortedKeys(m) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// closest suggests the field nearest to s (edit distance <= 3).
func closest(s string) string {
	best, bestD := "", 4
	for _, name := range FieldNames() {
		if d := distance(strings.ToLower(s), strings.ToLower(name)); d < bestD {
			best, bestD = name, d
		}
	}
	return best
}

func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
