package interactions

import (
	"errors"
	"fmt"

	"dcmconnect/usermap"
)

// Sentinels for errors.Is; the api package turns each into a status and a
// code the agent page shows as its own message.
var (
	// ErrConversationGone: Genesys Cloud does not know the conversation (404),
	// e.g. a stale widget or a mistyped id.
	ErrConversationGone = errors.New("the conversation no longer exists in Genesys Cloud")
	// ErrNotParticipant: the caller is not (and was not) a participant of the
	// conversation, so it is not theirs to pop or log.
	ErrNotParticipant = errors.New("you are not a participant of this conversation")
	// ErrNoUserMap: no user sync has succeeded yet, so nobody can be mapped.
	ErrNoUserMap = errors.New("the user map is not loaded yet (no user sync has succeeded); try again in a minute")
)

// AgentNotMappedError: the Genesys user has no ServiceJourney user (unmatched,
// or in a conflict a supervisor must resolve).
type AgentNotMappedError struct {
	GenesysUserID string
	Status        usermap.Status // unmatched, conflict, or "" when the map does not know the user
	Reason        string
}

func (e *AgentNotMappedError) Error() string {
	msg := "your Genesys Cloud user is not linked to a ServiceJourney user"
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg + ". Ask a supervisor to link it on the supervisor page (user map)."
}

// UpstreamError says which system failed (System is "Genesys Cloud" or
// "ServiceJourney") doing what (Op, e.g. "FINDPARTIES"); Err is the client's
// typed error, which never holds a token.
type UpstreamError struct {
	System, Op string
	Err        error
}

// Systems named by UpstreamError.System.
const (
	SystemGenesys        = "Genesys Cloud"
	SystemServiceJourney = "ServiceJourney"
)

func (e *UpstreamError) Error() string { return fmt.Sprintf("%s %s: %v", e.System, e.Op, e.Err) }
func (e *UpstreamError) Unwrap() error { return e.Err }

// InputError names a bad parameter and the fix. Code and Params, when
// set, are what the page shows instead (its own sentence, translated).
type InputError struct {
	Field, Problem string
	Code           string
	Params         map[string]string
}

func (e *InputError) Error() string { return e.Field + " " + e.Problem }

// errorOutcome is an error's metric label.
func errorOutcome(err error) string {
	var nm *AgentNotMappedError
	var ue *UpstreamError
	var ie *InputError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &nm):
		return "not_mapped"
	case errors.Is(err, ErrNotParticipant):
		return "not_participant"
	case errors.Is(err, ErrConversationGone):
		return "conversation_gone"
	case errors.Is(err, ErrNoUserMap):
		return "no_user_map"
	case errors.As(err, &ie):
		return "bad_input"
	case errors.As(err, &ue) && ue.System == SystemServiceJourney:
		return "servicejourney_error"
	case errors.As(err, &ue):
		return "genesys_error"
	}
	return "error"
}
