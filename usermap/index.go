package usermap

// index is the normalised, indexed snapshot behind a Report. Same-key users
// are chained through *Next slices (head in a map, none-terminated) instead of
// a slice per key: at 100,000 users that saves one allocation per user.
type index struct {
	g          []GenesysUser // active Genesys users, copied from the input
	gKey       []string      // normalised id
	gEmail     []string      // normalised match e-mail ("" = none)
	gByID      map[string]int32
	gEmailHead map[string]int32
	gEmailNext []int32
	gInactive  map[string]*GenesysUser // non-active users, for reasons only

	s          []SJUser
	sActive    []bool
	sEmail     []string
	sExpl      []string // normalised PureCloudUserID ("" = none)
	sByID      map[string]int32
	sEmailHead map[string]int32 // every SJ user, active or not
	sEmailNext []int32

	// claims: active SJ users whose explicit id names Genesys user gi are
	// chained from claimHead[gi]; those naming no active Genesys user are
	// chained from unknownHead[id]. One SJ user is in at most one chain.
	claimHead   []int32
	unknownHead map[string]int32
	claimNext   []int32

	// rels are the users related to the unmatched and conflicting ones,
	// one entry a group (decision.rel; 0 is nobody).
	rels []related

	entryOfG []int32 // entry index per Genesys user
	entryOfS []int32 // entry index per SJ user

	ignored int
}

const none int32 = -1

func newIndex(genesys []GenesysUser, sj []SJUser) *index {
	x := &index{
		g:          make([]GenesysUser, 0, len(genesys)),
		gKey:       make([]string, 0, len(genesys)),
		gEmail:     make([]string, 0, len(genesys)),
		gByID:      make(map[string]int32, len(genesys)),
		gEmailHead: make(map[string]int32, len(genesys)),
		s:          make([]SJUser, 0, len(sj)),
		sActive:    make([]bool, 0, len(sj)),
		sEmail:     make([]string, 0, len(sj)),
		sExpl:      make([]string, 0, len(sj)),
		sByID:      make(map[string]int32, len(sj)),
		sEmailHead: make(map[string]int32, len(sj)),
	}
	for i := range genesys {
		u := &genesys[i]
		k := key(u.ID)
		if k == "" {
			x.ignored++
			continue
		}
		if !genesysActive(u) {
			if x.gInactive == nil {
				x.gInactive = make(map[string]*GenesysUser)
			}
			if _, seen := x.gInactive[k]; !seen {
				c := *u
				x.gInactive[k] = &c
			}
			continue
		}
		if _, dup := x.gByID[k]; dup {
			x.ignored++
			continue
		}
		x.gByID[k] = int32(len(x.g))
		x.g = append(x.g, *u)
		x.gKey = append(x.gKey, k)
		x.gEmail = append(x.gEmail, genesysEmail(u))
	}
	x.gEmailNext = chain(x.gEmail, x.gEmailHead)

	for i := range sj {
		u := &sj[i]
		k := key(u.ID)
		if k == "" {
			x.ignored++
			continue
		}
		if _, dup := x.sByID[k]; dup {
			x.ignored++
			continue
		}
		x.sByID[k] = int32(len(x.s))
		x.s = append(x.s, *u)
		if ignored(u) { // takes no part in matching, as if absent
			x.sActive, x.sEmail, x.sExpl = append(x.sActive, false), append(x.sEmail, ""), append(x.sExpl, "")
			continue
		}
		x.sActive = append(x.sActive, sjActive(u))
		x.sEmail = append(x.sEmail, key(u.Email))
		x.sExpl = append(x.sExpl, key(u.PureCloudUserID))
	}
	x.sEmailNext = chain(x.sEmail, x.sEmailHead)

	x.claimHead = filled(len(x.g))
	x.claimNext = filled(len(x.s))
	for i := range x.s {
		id := x.sExpl[i]
		if id == "" || !x.sActive[i] {
			continue
		}
		if gi, ok := x.gByID[id]; ok {
			x.claimNext[i] = x.claimHead[gi]
			x.claimHead[gi] = int32(i)
			continue
		}
		if x.unknownHead == nil {
			x.unknownHead = make(map[string]int32)
		}
		if h, ok := x.unknownHead[id]; ok {
			x.claimNext[i] = h
		}
		x.unknownHead[id] = int32(i)
	}
	return x
}

// chain links equal non-empty keys: head[k] is the last index with key k and
// next[i] the previous one.
func chain(keys []string, head map[string]int32) []int32 {
	next := filled(len(keys))
	for i, k := range keys {
		if k == "" {
			continue
		}
		if h, ok := head[k]; ok {
			next[i] = h
		}
		head[k] = int32(i)
	}
	return next
}

func filled(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = none
	}
	return s
}

// walk returns the chain starting at h (nil for none).
func walk(h int32, next []int32) []int32 {
	var out []int32
	for ; h != none; h = next[h] {
		out = append(out, h)
	}
	return out
}

func (x *index) gWithEmail(e string) []int32 {
	if e == "" {
		return nil
	}
	if h, ok := x.gEmailHead[e]; ok {
		return walk(h, x.gEmailNext)
	}
	return nil
}

func (x *index) sWithEmail(e string) []int32 {
	if e == "" {
		return nil
	}
	if h, ok := x.sEmailHead[e]; ok {
		return walk(h, x.sEmailNext)
	}
	return nil
}
