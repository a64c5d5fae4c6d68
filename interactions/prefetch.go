package interactions

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"dcmconnect/genesys"
)

// prefetchKeep is how long a read started by Prefetch waits to be taken by
// the pop it was started for before it is dropped.
const prefetchKeep = 30 * time.Second

// prefetches are conversation reads started with a caller's token before
// the token was verified, so that verification and the read overlap. A
// read is handed only to a pop with the same token (after verification,
// in the api) and the same conversation; nothing reaches a caller before
// that. Keys are hashes: no token is kept here.
type prefetches struct {
	mu sync.Mutex
	m  map[[32]byte]*prefetch
}

type prefetch struct {
	done chan struct{}
	conv *genesys.Conversation
	err  error
}

func prefetchKey(token, id string) [32]byte {
	return sha256.Sum256([]byte(token + "\x00" + id))
}

// Prefetch starts reading the conversation with token (the caller's own,
// not yet verified) for the ScreenPop that follows; the read ends within
// Options.Timeout whatever happens to ctx. A second Prefetch for the same
// token and conversation while one is held does nothing.
func (s *Service) Prefetch(ctx context.Context, token, conversationID string) {
	if token == "" || conversationID == "" {
		return
	}
	k := prefetchKey(token, conversationID)
	p := &prefetch{done: make(chan struct{})}
	s.prefetched.mu.Lock()
	if s.prefetched.m == nil {
		s.prefetched.m = map[[32]byte]*prefetch{}
	}
	if _, ok := s.prefetched.m[k]; ok {
		s.prefetched.mu.Unlock()
		return
	}
	s.prefetched.m[k] = p
	s.prefetched.mu.Unlock()
	time.AfterFunc(prefetchKeep, func() { s.prefetched.take(k) })
	go func() {
		defer close(p.done)
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.Timeout)
		defer cancel()
		p.conv, p.err = s.opts.Genesys.WithToken(token).Conversations.Get(rctx, conversationID)
		s.count(SystemGenesys, "get_conversation", p.err)
	}()
}

// take removes and returns the read held under k, if any.
func (ps *prefetches) take(k [32]byte) *prefetch {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[k]
	delete(ps.m, k)
	return p
}

// prefetchedConversation is the conversation Prefetch read for this
// caller's token, once the read has ended, kept for the log writes that
// follow as a fresh read would be; ok is false when there is none.
func (s *Service) prefetchedConversation(ctx context.Context, id string) (c *genesys.Conversation, err error, ok bool) {
	token := callerToken(ctx)
	if token == "" {
		return nil, nil, false
	}
	p := s.prefetched.take(prefetchKey(token, id))
	if p == nil {
		return nil, nil, false
	}
	select {
	case <-p.done:
	case <-ctx.Done():
		return nil, ctx.Err(), true
	}
	if p.err != nil {
		return nil, conversationError(p.err), true
	}
	s.convs.Set(id, p.conv, s.opts.ConversationCacheTTL)
	return p.conv, nil, true
}
