package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"dcmconnect/usermap"
)

// Supervisors says who counts as a supervisor: a verified Genesys user
// holding any of Permissions (usermap.supervisorPermissions) or belonging to
// any of Groups, by group id or name (usermap.supervisorGroups).
type Supervisors struct {
	Permissions []string
	Groups      []string
}

// SupervisorOnly lets supervisors through; everyone else gets 403. Empty
// lists refuse everybody, so a missing setting never opens the door.
func SupervisorOnly(who Supervisors) func(*Caller) error {
	return func(c *Caller) error {
		if who.include(c) {
			return nil
		}
		e := Forbidden("supervisors only: this needs one of the Genesys Cloud permissions in usermap.supervisorPermissions or membership of a group in usermap.supervisorGroups")
		e.Code = MsgSupervisorsOnly
		return e
	}
}

// include: c holds one of the supervisor permissions or is in one of the groups.
func (who Supervisors) include(c *Caller) bool {
	return c.HasAnyPermission(who.Permissions) || c.InAnyGroup(who.Groups)
}

// StoreMapper serves WhoAmI's ServiceJourney user from the user map.
type StoreMapper struct{ Store *usermap.Store }

func (m StoreMapper) SJUser(ctx context.Context, genesysUserID string) (any, bool) {
	e, ok := m.Store.Lookup(ctx, genesysUserID)
	if !linked(e, ok) {
		return nil, false
	}
	return map[string]any{"id": e.SJUser.ID, "name": e.SJUser.Name, "login": e.SJUser.Login, "email": e.SJUser.Email, "status": e.Status}, true
}

// Linked reports whether the user is mapped (UserLinker), without SJUser's value.
func (m StoreMapper) Linked(ctx context.Context, genesysUserID string) bool {
	return linked(m.Store.Lookup(ctx, genesysUserID))
}

// linked: the entry maps its Genesys user to a ServiceJourney user.
func linked(e usermap.Entry, ok bool) bool {
	return ok && e.SJUser != nil && (e.Status == usermap.StatusExplicit || e.Status == usermap.StatusEmail)
}

// UserMapMethods are GetUserMap (the report), SetUserMapping (an explicit
// mapping written to ServiceJourney) and IgnoreServiceJourneyUser, all for
// supervisors.
func UserMapMethods(store *usermap.Store, sj usermap.SJDirectory, supervisors Supervisors) []Method {
	allow := SupervisorOnly(supervisors)
	return []Method{
		{Name: "GetUserMap", ReadOnly: true, Allow: allow, Handle: func(context.Context, *Call) (any, error) {
			r := store.Report()
			if r == nil {
				return nil, httpError(usermap.ErrNoSnapshot, fromUnknown)
			}
			return r, nil
		}},
		{Name: "SetUserMapping", Allow: allow, Handle: func(ctx context.Context, c *Call) (any, error) {
			sjID, err := c.String("serviceJourneyUserId", true)
			if err != nil {
				return nil, err
			}
			gID, err := c.String("genesysUserId", false)
			if err != nil {
				return nil, err
			}
			// A change that takes a link from someone (clearing an explicit
			// link included) is refused (409, naming them) until the request
			// lists their Genesys user ids.
			var confirmed []string
			if err := c.Decode("confirmTakeOver", &confirmed, false); err != nil {
				return nil, err
			}
			if err := store.SetExplicitConfirmed(ctx, sj, sjID, gID, confirmed); err != nil {
				var te *usermap.TakeOverError
				if errors.As(err, &te) {
					return nil, takeOverError(te)
				}
				return nil, httpError(err, fromServiceJourney)
			}
			return entryOf(store, sjID)
		}},
		// IgnoreServiceJourneyUser marks a ServiceJourney user as needing no
		// Genesys user (ignore false undoes it); the mark is stored in
		// ServiceJourney like a mapping.
		{Name: "IgnoreServiceJourneyUser", Allow: allow, Handle: func(ctx context.Context, c *Call) (any, error) {
			sjID, err := c.String("serviceJourneyUserId", true)
			if err != nil {
				return nil, err
			}
			ignore := true
			if err := c.Decode("ignore", &ignore, false); err != nil {
				return nil, err
			}
			var confirmed []string
			if err := c.Decode("confirmTakeOver", &confirmed, false); err != nil {
				return nil, err
			}
			if ignore {
				err = store.Ignore(ctx, sj, sjID, confirmed)
			} else {
				err = store.Unignore(ctx, sj, sjID)
			}
			var te *usermap.TakeOverError
			switch {
			case errors.As(err, &te):
				return nil, takeOverError(te)
			case err != nil:
				return nil, httpError(err, fromServiceJourney)
			}
			return entryOf(store, sjID)
		}},
	}
}

// entryOf is a ServiceJourney user's entry in the map in service, after a change.
func entryOf(store *usermap.Store, sjID string) (any, error) {
	if e, ok := store.Report().BySJID(sjID); ok {
		return e, nil
	}
	e := NotFound(fmt.Sprintf("ServiceJourney user %q is not in the user map", sjID))
	e.Code = MsgUserNotInMap
	return nil, e
}

// takeOverError is SetUserMapping's refusal: who would lose a link, by
// name for the sentence and by id for the confirmation the page sends back.
func takeOverError(te *usermap.TakeOverError) *Error {
	var g, sj []string
	for _, l := range te.Lost {
		g = append(g, cmp.Or(l.Genesys.Name, l.Genesys.ID))
		sj = append(sj, cmp.Or(l.SJ.Name, l.SJ.Login, l.SJ.ID))
	}
	code := MsgTakeOver
	if te.Clear {
		code = MsgClearLink
	}
	return &Error{Status: http.StatusConflict, Message: te.Error(), Code: code, Params: map[string]string{
		"genesysUsers":        strings.Join(g, ", "),
		"serviceJourneyUsers": strings.Join(sj, ", "),
		"genesysUserIds":      strings.Join(te.GenesysIDs(), ","),
	}}
}
