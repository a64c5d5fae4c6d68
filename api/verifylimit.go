package api

import (
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	gocache "github.com/patrickmn/go-cache"
	"golang.org/x/time/rate"
)

// Failed token verifications per client address: a burst of failedVerifyBurst,
// then one per failedVerifyEvery. Every failure costs Genesys calls, so random
// tokens from one address are refused (429) before they reach Genesys. The
// address is gin's ClientIP, which believes X-Forwarded-For only from the
// trusted proxies.
const (
	failedVerifyBurst = 20
	failedVerifyEvery = time.Second
)

type failedVerifications struct {
	mu sync.Mutex
	by *gocache.Cache // client IP -> *rate.Limiter
}

func newFailedVerifications() *failedVerifications {
	return &failedVerifications{by: gocache.New(10*time.Minute, time.Minute)}
}

func (f *failedVerifications) limiter(ip string, create bool) *rate.Limiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.by.Get(ip); ok {
		return v.(*rate.Limiter)
	}
	if !create {
		return nil
	}
	l := rate.NewLimiter(rate.Every(failedVerifyEvery), failedVerifyBurst)
	f.by.SetDefault(ip, l)
	return l
}

// check refuses an address out of failures, saying when to come back.
func (f *failedVerifications) check(ip string) error {
	l := f.limiter(ip, false)
	if l == nil {
		return nil
	}
	if t := l.Tokens(); t < 1 {
		wait := time.Duration((1 - t) * float64(failedVerifyEvery))
		secs := int(math.Ceil(wait.Seconds()))
		return &Error{Status: http.StatusTooManyRequests, RetryAfter: time.Duration(secs) * time.Second,
			Message: fmt.Sprintf("too many failed sign-ins from your address; try again in %d s", secs)}
	}
	return nil
}

// failed counts one refused token from ip.
func (f *failedVerifications) failed(ip string) { f.limiter(ip, true).Allow() }
