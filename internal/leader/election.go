package leader

import (
	"context"
	"errors"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The election follows client-go's leader election
// (https://github.com/kubernetes/client-go/blob/master/tools/leaderelection/leaderelection.go)
// on the typed Lease client alone. It is our own loop because client-go's
// package pulls in ~400 Kubernetes packages (the whole clientset) where the
// Lease client needs ~170, and reads the real clock, so its lease windows
// could only be tested by waiting them out.
//
// The rules, as there:
//   - a replica acquires the Lease when it is absent (create), held by
//     itself, released (no holder), or unchanged for its leaseDurationSeconds
//     as seen on this replica's own clock since it first saw that version:
//     the holder's renewTime is never compared with our clock (skew);
//   - every write is an update carrying the resourceVersion read, so of two
//     replicas writing the same version one gets a 409 Conflict and does not
//     lead;
//   - the leader renews every RetryPeriod and stops its work when it has not
//     renewed for RenewDeadline (before LeaseDuration, when others may take
//     over), or at once when it sees another holder;
//   - on a clean stop it releases the Lease (no holder, a 1 s duration), so
//     a standby takes over at its next try, within RetryPeriod.
//
// Unlike client-go there is no jitter on the retry period (conflicts make
// simultaneous tries safe, and the takeover bound stays LeaseDuration +
// RetryPeriod), a change of the Lease is its resourceVersion (client-go
// compares records whose times have whole seconds in JSON), and work has
// returned before this replica stands by or releases the Lease.

// election is the state of Run's loop; only Run's goroutine touches it.
type election struct {
	held    *coordinationv1.Lease // as we last wrote it, while we lead
	renewed time.Time             // when we sent the write that made held

	seen      string    // resourceVersion last observed
	seenAt    time.Time // our time when we first saw it
	seenFor   time.Duration
	noRelease bool // tests: stop as a crashed replica does
}

// outcome of one try.
type outcome int

const (
	failed outcome = iota // no answer or an error: try again
	held                  // we hold the Lease now
	taken                 // another replica holds a valid Lease
)

// campaign stands by and leads in turn until ctx ends.
func (e *Elector) campaign(ctx context.Context, work func(context.Context)) {
	for e.acquire(ctx) {
		e.lead(ctx, work)
	}
}

// acquire tries at once and then every RetryPeriod; false when ctx ends.
func (e *Elector) acquire(ctx context.Context) bool {
	for ctx.Err() == nil {
		if r, _ := e.try(ctx, e.o.RenewDeadline); r == held {
			return true
		}
		if !e.sleep(ctx, e.o.RetryPeriod) {
			return false
		}
	}
	return false
}

// lead runs work while renewals succeed; it returns when work's context
// has ended and work has returned.
func (e *Elector) lead(ctx context.Context, work func(context.Context)) {
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	lease := e.o.Namespace + "/" + e.o.Name
	e.set(true, e.o.Identity)
	e.o.Logger.Info("leader: leading", "lease", lease, "identity", e.o.Identity)
	go func() {
		defer close(done)
		work(lctx)
	}()
	end := func() {
		stop()
		<-done
		e.set(false, "")
		e.o.Logger.Info("leader: no longer leading", "lease", lease, "identity", e.o.Identity)
	}
	for {
		left := e.o.RenewDeadline - e.clock.Now().Sub(e.renewed)
		if !e.sleep(ctx, min(e.o.RetryPeriod, left)) {
			end()
			e.release()
			return
		}
		left = e.o.RenewDeadline - e.clock.Now().Sub(e.renewed)
		if left <= 0 {
			e.held = nil
			e.o.Logger.Warn("leader: the lease was not renewed within the renew deadline; stepping down", "lease", lease, "renewDeadline", e.o.RenewDeadline)
			end()
			return
		}
		r, err := e.try(ctx, left)
		if r == taken {
			e.held = nil
			e.o.Logger.Warn("leader: another replica holds the lease; stepping down", "lease", lease, "holder", e.Leader())
			end()
			return
		}
		if r == failed && err != nil && ctx.Err() == nil {
			e.o.Logger.Warn("leader: renewing the lease failed; trying again", "lease", lease, "err", err)
		}
	}
}

// sleep waits d on the election's clock; false when ctx ended first.
func (e *Elector) sleep(ctx context.Context, d time.Duration) bool {
	t := e.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return ctx.Err() == nil
	case <-ctx.Done():
		return false
	}
}

// try acquires or renews the Lease once, its requests bounded by timeout.
func (e *Elector) try(ctx context.Context, timeout time.Duration) (outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	now := e.clock.Now()
	if e.held != nil {
		// Leading: renew the Lease as we last wrote it. A conflict means
		// someone else wrote since: read it and decide below.
		l := e.held.DeepCopy()
		e.stamp(l, now)
		got, err := e.call(ctx, "update", func() (*coordinationv1.Lease, error) { return e.leases.Update(ctx, l, metav1.UpdateOptions{}) })
		if err == nil {
			e.hold(got, now)
			return held, nil
		}
		if !apierrors.IsConflict(err) {
			return failed, err
		}
		e.held = nil
	}
	cur, err := e.call(ctx, "get", func() (*coordinationv1.Lease, error) { return e.leases.Get(ctx, e.o.Name, metav1.GetOptions{}) })
	now = e.clock.Now() // what we read is as of now, not of when we asked
	if apierrors.IsNotFound(err) {
		l := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Namespace: e.o.Namespace, Name: e.o.Name}}
		l.Spec.AcquireTime = &metav1.MicroTime{Time: now}
		l.Spec.LeaseTransitions = ptr(int32(0))
		e.stamp(l, now)
		got, err := e.call(ctx, "create", func() (*coordinationv1.Lease, error) { return e.leases.Create(ctx, l, metav1.CreateOptions{}) })
		if err != nil {
			return failed, err // AlreadyExists: another replica created it first
		}
		e.hold(got, now)
		return held, nil
	}
	if err != nil {
		return failed, err
	}
	e.observe(cur, now)
	holder := holderOf(cur)
	if holder != "" && holder != e.o.Identity && now.Before(e.seenAt.Add(e.seenFor)) {
		return taken, nil
	}
	l := cur.DeepCopy()
	if holder != e.o.Identity {
		l.Spec.AcquireTime = &metav1.MicroTime{Time: now}
		l.Spec.LeaseTransitions = ptr(transitionsOf(cur) + 1)
	}
	e.stamp(l, now)
	got, err := e.call(ctx, "update", func() (*coordinationv1.Lease, error) { return e.leases.Update(ctx, l, metav1.UpdateOptions{}) })
	if err != nil {
		return failed, err // a conflict: another replica wrote this version first
	}
	e.hold(got, now)
	return held, nil
}

// stamp makes l ours as of now.
func (e *Elector) stamp(l *coordinationv1.Lease, now time.Time) {
	l.Spec.HolderIdentity = ptr(e.o.Identity)
	l.Spec.LeaseDurationSeconds = ptr(int32(e.o.LeaseDuration / time.Second))
	l.Spec.RenewTime = &metav1.MicroTime{Time: now}
}

func (e *Elector) hold(l *coordinationv1.Lease, sent time.Time) {
	e.held, e.renewed = l, sent
	e.observe(l, sent)
}

// observe notes a version of the Lease: a new version restarts its lease
// duration on our clock, and names the leader.
func (e *Elector) observe(l *coordinationv1.Lease, now time.Time) {
	if l.ResourceVersion == e.seen {
		return
	}
	e.seen, e.seenAt = l.ResourceVersion, now
	e.seenFor = 0
	if d := l.Spec.LeaseDurationSeconds; d != nil {
		e.seenFor = time.Duration(*d) * time.Second
	}
	e.holder.Store(holderOf(l))
}

// release hands the Lease over on a clean stop: no holder and a 1 s
// duration, as client-go writes, so a standby need not wait it out.
func (e *Elector) release() {
	if e.held == nil || e.noRelease {
		e.held = nil
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), e.o.RenewDeadline)
	defer cancel()
	l := e.held
	e.held = nil
	for {
		now := e.clock.Now()
		l = l.DeepCopy()
		l.Spec.HolderIdentity = ptr("")
		l.Spec.LeaseDurationSeconds = ptr(int32(1))
		l.Spec.AcquireTime = &metav1.MicroTime{Time: now}
		l.Spec.RenewTime = &metav1.MicroTime{Time: now}
		got, err := e.call(ctx, "update", func() (*coordinationv1.Lease, error) { return e.leases.Update(ctx, l, metav1.UpdateOptions{}) })
		if err == nil {
			e.observe(got, now)
			return
		}
		if !apierrors.IsConflict(err) {
			e.o.Logger.Warn("leader: releasing the lease failed; a standby takes over when it expires", "lease", e.o.Namespace+"/"+e.o.Name, "err", err)
			return
		}
		// A renewal in flight when we stopped may have landed: read the
		// Lease again and release it if it is still ours.
		if l, err = e.call(ctx, "get", func() (*coordinationv1.Lease, error) { return e.leases.Get(ctx, e.o.Name, metav1.GetOptions{}) }); err != nil || holderOf(l) != e.o.Identity {
			return
		}
	}
}

// call runs one request and counts it.
func (e *Elector) call(ctx context.Context, op string, f func() (*coordinationv1.Lease, error)) (*coordinationv1.Lease, error) {
	l, err := f()
	outcome := "ok"
	switch {
	case err == nil:
	case apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err):
		outcome = "conflict"
	case apierrors.IsNotFound(err):
		outcome = "notfound"
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		outcome = "timeout"
	default:
		outcome = "error"
	}
	e.calls.WithLabelValues(op, outcome).Inc()
	return l, err
}

func holderOf(l *coordinationv1.Lease) string {
	if l.Spec.HolderIdentity == nil {
		return ""
	}
	return *l.Spec.HolderIdentity
}

func transitionsOf(l *coordinationv1.Lease) int32 {
	if l.Spec.LeaseTransitions == nil {
		return 0
	}
	return *l.Spec.LeaseTransitions
}

func ptr[T any](v T) *T { return &v }
