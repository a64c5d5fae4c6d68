package usermap

import (
	"context"
	"errors"
	"fmt"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// GenesysUsers adapts the Genesys client to GenesysDirectory. It uses the
// client-credentials token: the map is built by the server, not by a user.
type GenesysUsers struct{ Client *genesys.Client }

// ActiveUsers lists every active user, 100 per page (the largest page Genesys
// is commonly seen to accept for users).
func (g GenesysUsers) ActiveUsers(ctx context.Context) ([]GenesysUser, error) {
	users, err := g.Client.Users.ListAll(ctx, &genesys.UserListOptions{PageSize: 100, State: "active"})
	if err != nil {
		return nil, err
	}
	out := make([]GenesysUser, 0, len(users))
	for _, u := range users {
		out = append(out, fromGenesys(u))
	}
	return out, nil
}

// User fetches one user; a 404 becomes ErrNotFound.
func (g GenesysUsers) User(ctx context.Context, id string) (GenesysUser, error) {
	u, err := g.Client.Users.Get(ctx, id)
	if errors.Is(err, genesys.ErrNotFound) {
		return GenesysUser{}, fmt.Errorf("genesys user %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return GenesysUser{}, err
	}
	return fromGenesys(*u), nil
}

func fromGenesys(u genesys.User) GenesysUser {
	return GenesysUser{ID: u.ID, Name: u.Name, Email: u.Email, Username: u.Username, State: u.State}
}

// SJUsers adapts the AppBase client (GETUSERS, SETUSERMAPPING) to SJDirectory.
type SJUsers struct{ Client *appbase.Client }

func (s SJUsers) Users(ctx context.Context) ([]SJUser, error) {
	users, err := s.Client.GetUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SJUser, 0, len(users))
	for _, u := range users {
		out = append(out, SJUser{ID: u.ID, Code: u.Code, Login: u.Login, Name: u.Name, Email: u.Email, Status: u.Status, PureCloudUserID: u.PureCloudUserID})
	}
	return out, nil
}

func (s SJUsers) SetMapping(ctx context.Context, sjUserID, genesysUserID string) error {
	return s.Client.SetUserMapping(ctx, sjUserID, genesysUserID)
}
