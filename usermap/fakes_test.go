package usermap

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// fakeGenesys is an in-memory GenesysDirectory that counts calls.
type fakeGenesys struct {
	mu        sync.Mutex
	users     []GenesysUser
	listErr   error
	listCalls int
	userCalls map[string]int
	gate      chan struct{} // when set, User waits for it (to gather concurrent callers)
	entered   chan string   // when set, User reports each call here before waiting
}

func (f *fakeGenesys) ActiveUsers(ctx context.Context) ([]GenesysUser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listCalls++
	if f.listErr != nil {
		return nil, f.listErr
	}
	return append([]GenesysUser(nil), f.users...), nil
}

func (f *fakeGenesys) User(ctx context.Context, id string) (GenesysUser, error) {
	f.mu.Lock()
	if f.userCalls == nil {
		f.userCalls = map[string]int{}
	}
	f.userCalls[id]++
	gate, entered := f.gate, f.entered
	f.mu.Unlock()
	if entered != nil {
		entered <- id
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return GenesysUser{}, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.users {
		if u.ID == id {
			return u, nil
		}
	}
	return GenesysUser{}, fmt.Errorf("genesys: GET /api/v2/users/%s: 404: %w", id, ErrNotFound)
}

func (f *fakeGenesys) calls(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.userCalls[id]
}

func (f *fakeGenesys) set(users ...GenesysUser) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users = users
}

// fakeSJ is an in-memory SJDirectory: SetMapping really changes the users a
// later Users call returns, like the SETUSERMAPPING rule.
type fakeSJ struct {
	mu        sync.Mutex
	users     []SJUser
	listErr   error
	setErr    map[string]error // by SJ user id
	writes    []string         // "sjID=genesysID"
	listCalls int
	inList    int
	maxInList int
	listGate  chan struct{} // when set, Users waits for it
	// setEntered, when set, hears each SetMapping's user id as it starts;
	// setGate, when set, holds every SetMapping until it is closed.
	setEntered chan string
	setGate    chan struct{}
}

func (f *fakeSJ) Users(ctx context.Context) ([]SJUser, error) {
	f.mu.Lock()
	f.listCalls++
	f.inList++
	if f.inList > f.maxInList {
		f.maxInList = f.inList
	}
	gate := f.listGate
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inList--
		f.mu.Unlock()
	}()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listErr != nil {
		return nil, f.listErr
	}
	return append([]SJUser(nil), f.users...), nil
}

func (f *fakeSJ) SetMapping(ctx context.Context, sjUserID, genesysUserID string) error {
	if f.setEntered != nil {
		f.setEntered <- sjUserID + "=" + genesysUserID
	}
	if f.setGate != nil {
		select {
		case <-f.setGate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.setErr[sjUserID]; err != nil {
		return err
	}
	for i := range f.users {
		if f.users[i].ID == sjUserID {
			f.users[i].PureCloudUserID = genesysUserID
			f.writes = append(f.writes, sjUserID+"="+genesysUserID)
			return nil
		}
	}
	return fmt.Errorf("SETUSERMAPPING: no user %s", sjUserID)
}

func (f *fakeSJ) writeLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes...)
}

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
