package genesystest

import "time"

// GeneratedConversations are N conversations made on demand, for benchmarks
// that backfill far more than a test can hold: conversation i starts at
// First + i×Every and is Make(i, start), which must end it within Longest
// of its start (default Every). Only analytics jobs return them, a results
// page at a time; the synchronous query and the conversation routes do not
// see them.
type GeneratedConversations struct {
	First   time.Time
	Every   time.Duration
	Longest time.Duration
	N       int
	Make    func(i int, start time.Time) Conversation
}

// AddGeneratedConversations adds a generated range (see GeneratedConversations).
func (s *Server) AddGeneratedConversations(g GeneratedConversations) {
	if g.N <= 0 || g.Every <= 0 || g.Make == nil {
		panic("genesystest: GeneratedConversations needs N > 0, Every > 0 and Make")
	}
	if g.Longest <= 0 {
		g.Longest = g.Every
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.generated = append(s.data.generated, &g)
}

// genPart is the slice [i0, i1) of a generated range a job covers.
type genPart struct {
	g      *GeneratedConversations
	i0, i1 int
}

// generatedParts: the parts of each generated range that may have activity
// in [from, to): those starting before to, from Longest before from.
func (s *Server) generatedParts(from, to time.Time) []genPart {
	var out []genPart
	for _, g := range s.data.generated {
		idx := func(t time.Time) int {
			if t.Before(g.First) {
				return 0
			}
			return min(g.N, int(t.Sub(g.First)/g.Every))
		}
		i0, i1 := idx(from.Add(-g.Longest)), idx(to)
		if i1 < g.N && g.First.Add(time.Duration(i1)*g.Every).Before(to) {
			i1++
		}
		if i0 < i1 {
			out = append(out, genPart{g, i0, i1})
		}
	}
	return out
}

// genLen is how many generated conversations a job may return.
func genLen(parts []genPart) int {
	n := 0
	for _, p := range parts {
		n += p.i1 - p.i0
	}
	return n
}

// generatedPage makes generated conversations [off, end) of a job's parts,
// keeping those with activity in [from, to) that match q.
func (s *Server) generatedPage(j *job, off, end int) []wireAConversation {
	var out []wireAConversation
	for _, p := range j.gen {
		n := p.i1 - p.i0
		for k := max(off, 0); k < min(end, n); k++ {
			i := p.i0 + k
			c := p.g.Make(i, p.g.First.Add(time.Duration(i)*p.g.Every))
			s.fillConversation(&c)
			if !c.StartTime.Before(j.to) || (c.EndTime != nil && c.EndTime.Before(j.from)) {
				continue
			}
			if ac := s.analyticsConversation(&c, true); j.q.matches(&ac) {
				out = append(out, ac)
			}
		}
		off, end = off-n, end-n
	}
	return out
}
