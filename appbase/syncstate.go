package appbase

import (
	"context"
	"fmt"
	"strings"
)

// GetSyncState reads a sync job's watermark NAME (GETSYNCSTATE). found is
// false when ServiceJourney holds no row for it yet.
func (c *Client) GetSyncState(ctx context.Context, name string) (value string, found bool, err error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", false, fmt.Errorf("appbase: GetSyncState: name is empty; pass the sync state name, e.g. interactions")
	}
	res, err := c.RunOp(ctx, OpGetSyncState, map[string]string{"NAME": name})
	if err != nil {
		return "", false, err
	}
	for _, r := range res.Items {
		if n := r.String("NAME"); n == "" || strings.EqualFold(n, name) {
			return r.String("VALUE"), true, nil
		}
	}
	return "", false, nil
}

// SetSyncState stores value under NAME (SETSYNCSTATE), replacing the old one.
func (c *Client) SetSyncState(ctx context.Context, name, value string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("appbase: SetSyncState: name is empty; pass the sync state name, e.g. interactions")
	}
	_, err := c.RunOp(ctx, OpSetSyncState, map[string]string{"NAME": name, "VALUE": value})
	return err
}
