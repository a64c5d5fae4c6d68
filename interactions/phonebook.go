package interactions

import "sync"

// phoneForm is what one parse of an address gives: its E.164 number (""
// when it holds none) and the form a record shows (displayPhone).
type phoneForm struct{ e164, display string }

// phoneBookSize bounds each of a phoneBook's two generations: at most
// 2 × 8,192 addresses (about 1.5 MB) are remembered.
const phoneBookSize = 8192

// phoneBook parses each address once and remembers the answer for a while:
// the sync job reads every conversation's ANI and DNIS, the DNIS is one of
// the contact centre's few numbers and many customers call again, and a
// phonenumbers parse costs ~25 µs (most of it the library's extension
// regexp). Two generations keep it bounded without an LRU list: when the
// current one is full it becomes the old one, and an address found only in
// the old one moves back into the current. It is safe for concurrent use.
type phoneBook struct {
	country string
	size    int
	parse   func(raw, country string) phoneForm // parsePhoneForms; tests count calls

	mu       sync.Mutex
	cur, old map[string]phoneForm
}

func newPhoneBook(country string, size int) *phoneBook {
	return &phoneBook{country: country, size: size, parse: parsePhoneForms, cur: make(map[string]phoneForm)}
}

// forms parses raw (a Genesys address) as NormalizePhone and displayPhone
// would, once per address while it is remembered.
func (b *phoneBook) forms(raw string) phoneForm {
	if raw == "" {
		return phoneForm{}
	}
	b.mu.Lock()
	f, ok := b.cur[raw]
	if !ok {
		if f, ok = b.old[raw]; ok {
			b.putLocked(raw, f)
		}
	}
	b.mu.Unlock()
	if ok {
		return f
	}
	f = b.parse(raw, b.country) // outside the lock: writers parse in parallel
	b.mu.Lock()
	b.putLocked(raw, f)
	b.mu.Unlock()
	return f
}

func (b *phoneBook) putLocked(raw string, f phoneForm) {
	if len(b.cur) >= b.size {
		b.old, b.cur = b.cur, make(map[string]phoneForm, b.size)
	}
	b.cur[raw] = f
}

// parsePhoneForms is one parse giving both forms.
func parsePhoneForms(raw, country string) phoneForm {
	if raw == "" {
		return phoneForm{}
	}
	if p, err := NormalizePhone(raw, country); err == nil {
		return phoneForm{e164: p, display: p}
	}
	return phoneForm{display: stripScheme(raw)}
}
