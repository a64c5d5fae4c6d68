package appbase

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// GetUsers reads every ServiceJourney user through GETUSERS (standard
// profile: the case-worker search), page by page
// (FIRST offset, LIMIT Options.PageSize), until TOTALCOUNT rows are read or,
// without a total, a page adds no one. A user seen twice (rows shifting
// between pages) is kept once; so is a row without ID repeated in full.
func (c *Client) GetUsers(ctx context.Context) ([]User, error) {
	limit := c.opts.PageSize
	var users []User
	seen := make(map[string]bool)
	first := 0
	for {
		res, err := c.RunOp(ctx, OpGetUsers, map[string]string{"FIRST": strconv.Itoa(first), "LIMIT": strconv.Itoa(limit)})
		if err != nil {
			return nil, err
		}
		added := 0
		for _, r := range res.Items {
			u := User{
				ID:              r.String("ID"),
				Code:            r.String("CODE"),
				Login:           r.String("LOGIN"),
				Name:            r.String("NAME"),
				Email:           r.String("EMAIL"),
				Status:          r.String("STATUS"),
				PureCloudUserID: r.String("PURECLOUD_USERID"),
			}
			// Rows without an ID are told apart by their other columns;
			// otherwise a rule that ignores FIRST and returns full pages of
			// such rows would be paged forever, growing users without bound.
			key := "id:" + u.ID
			if u.ID == "" {
				key = strings.Join([]string{"row", u.Code, u.Login, u.Name, u.Email, u.Status, u.PureCloudUserID}, "\x00")
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			users = append(users, u)
			added++
		}
		n := len(res.Items)
		first += n
		switch {
		case n == 0, added == 0: // end, or a rule that ignores FIRST
			return users, nil
		case res.totalSet && first >= res.Total:
			return users, nil
		case !res.totalSet && n > limit: // LIMIT ignored: that was everything
			return users, nil
		}
		// Without a total a short page is not proof of the end: a rule may
		// cap its pages below LIMIT. The next page tells, at one request.
	}
}

// SetUserMapping stores pureCloudUserID (empty clears it) as the explicit
// Genesys Cloud mapping of ServiceJourney user userID (SETUSERMAPPING).
func (c *Client) SetUserMapping(ctx context.Context, userID, pureCloudUserID string) error {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return fmt.Errorf("appbase: SetUserMapping: userID is empty; pass the ServiceJourney user ID (GETUSERS ID)")
	}
	_, err := c.RunOp(ctx, OpSetUserMapping, map[string]string{
		"USERID":           userID,
		"PURECLOUD_USERID": strings.TrimSpace(pureCloudUserID),
	})
	return err
}
