package supervisor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// A panicking refresh must come back as an error to the waiting supervisors,
// not crash the server from singleflight's goroutine.
func TestSharedRefreshPanicBecomesError(t *testing.T) {
	m, err := newSupervisorMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s := newShared("agents", time.Minute, time.Second, time.Now, m, func(context.Context, string) (int, error) {
		var agents map[string]int
		agents["x"]++ // a bug: nil map write
		return 0, nil
	})
	_, err = s.get(context.Background(), "")
	if err == nil || !strings.Contains(err.Error(), "refresh failed") {
		t.Fatalf("err = %v", err)
	}
}
