package usermap

import (
	"context"
	"errors"
	"fmt"
	"time"
)

const (
	defaultWriteTimeout = 30 * time.Second
	// After this many failed writes in a row ServiceJourney is probably down:
	// stop instead of spending a timeout on every remaining user. A re-run
	// picks up where this one stopped (write-back is idempotent).
	maxConsecutiveWriteFailures = 5
	maxReportedWriteErrors      = 3
)

// WriteBack stores the Genesys user id in PureCloud_UserId for every e-mail
// match whose ServiceJourney user does not carry it yet, so a later e-mail
// change does not break the link. It is idempotent: once written, the next
// sync sees the id and reports the pair as explicit, which WriteBack skips.
// A failed write does not stop the others (up to five failures in a row);
// written counts the writes that succeeded.
func WriteBack(ctx context.Context, sj SJDirectory, r *Report) (written int, err error) {
	w, err := writeBack(ctx, sj, r, defaultWriteTimeout, nil)
	return len(w), err
}

// writeBack returns the successful writes as overrides so the caller can
// rebuild the map with them. observe (optional) sees each call's outcome.
func writeBack(ctx context.Context, sj SJDirectory, r *Report, timeout time.Duration, observe func(error)) ([]override, error) {
	var (
		done   []override
		errs   []error
		failed int
		inARow int
	)
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Status != StatusEmail || key(e.SJUser.PureCloudUserID) == key(e.GenesysUser.ID) {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		wctx, cancel := context.WithTimeout(ctx, timeout)
		err := sj.SetMapping(wctx, e.SJUser.ID, e.GenesysUser.ID)
		cancel()
		if observe != nil {
			observe(err)
		}
		if err == nil {
			done = append(done, override{sjID: e.SJUser.ID, genesysID: e.GenesysUser.ID})
			inARow = 0
			continue
		}
		failed++
		inARow++
		if len(errs) < maxReportedWriteErrors {
			errs = append(errs, fmt.Errorf("ServiceJourney user %s: %w", e.SJUser.ID, err))
		}
		if inARow >= maxConsecutiveWriteFailures {
			errs = append(errs, fmt.Errorf("stopped after %d failures in a row; the next sync continues", inARow))
			break
		}
	}
	if len(errs) == 0 {
		return done, nil
	}
	if failed > len(errs) {
		errs = append(errs, fmt.Errorf("%d writes failed in all", failed))
	}
	return done, errors.Join(errs...)
}
