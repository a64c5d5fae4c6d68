package genesys

import (
	"context"
	"testing"
)

// BenchmarkCachedToken measures the hot path of every background request:
// reading the cached client-credentials token.
func BenchmarkCachedToken(b *testing.B) {
	e := newEnv(b, realClock)
	ctx := context.Background()
	if _, err := e.c.Token(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.c.Token(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	if n := e.f.tokenCalls.Load(); n != 1 {
		b.Fatalf("token fetches = %d", n)
	}
}

// BenchmarkVerifyUserTokenCached measures the check every page request
// makes once its token has been verified.
func BenchmarkVerifyUserTokenCached(b *testing.B) {
	e, _ := verifyEnv(b, realClock)
	ctx := context.Background()
	const bearer = "Bearer good"
	if _, err := e.c.VerifyUserToken(ctx, bearer); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.c.VerifyUserToken(ctx, bearer); err != nil {
				b.Fatal(err)
			}
		}
	})
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		b.Fatalf("users/me calls = %d", n)
	}
}

// realClock keeps the test clock's lock out of the measurement.
func realClock(o *Options) { o.Now = nil }
