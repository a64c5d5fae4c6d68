package interactions

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// countingBook is a phoneBook of size that counts its parses.
func countingBook(size int) (*phoneBook, *atomic.Int64) {
	b := newPhoneBook("US", size)
	var n atomic.Int64
	b.parse = func(raw, country string) phoneForm { n.Add(1); return parsePhoneForms(raw, country) }
	return b, &n
}

// The book answers what NormalizePhone and displayPhone answer, for numbers
// and for addresses that are none.
func TestPhoneBookAgreesWithNormalizePhone(t *testing.T) {
	b, _ := countingBook(4)
	for range 2 { // parsed, then remembered
		for _, raw := range []string{"tel:+14155550101", "sip:+3225551234@edge.example;user=phone", "(415) 555-0101",
			"anonymous", "sip:alice@example.com", "", "+", "tel:;ext=1", "0049 30 1234567", "SIPS:+44 20 7946 0958", "1234"} {
			want, err := NormalizePhone(raw, "US")
			if err != nil {
				want = ""
			}
			got := b.forms(raw)
			if got.e164 != want || got.display != displayPhone(raw, "US") {
				t.Errorf("forms(%q) = %+v; want e164 %q, display %q", raw, got, want, displayPhone(raw, "US"))
			}
		}
	}
}

// An address is parsed once while remembered; memory stays within two
// generations however many addresses pass, and one in use survives.
// Ten times the book's size passes (a parse costs ~0.5 ms under the race
// detector, so a book of 10 and 100 addresses, not 100 and 1,000).
func TestPhoneBookParsesOnceAndStaysBounded(t *testing.T) {
	b, parses := countingBook(10)
	for range 3 {
		b.forms("tel:+14155550101")
	}
	if n := parses.Load(); n != 1 {
		t.Fatalf("%d parses for one address read 3 times; want 1", n)
	}
	for i := range 100 {
		b.forms(fmt.Sprintf("tel:+1415556%04d", i))
		if i%5 == 0 {
			b.forms("tel:+14155550101") // the contact centre's own number, in every conversation
		}
	}
	if n := parses.Load(); n != 101 {
		t.Errorf("%d parses for 101 addresses; want 101 (the one in use never forgotten)", n)
	}
	if n := len(b.cur) + len(b.old); n > 20 {
		t.Errorf("%d addresses remembered; want at most 2 × 10", n)
	}
	b.forms("tel:+14155560000") // long gone: parsed again
	if n := parses.Load(); n != 102 {
		t.Errorf("%d parses; a forgotten address should be parsed again", n)
	}
}

// Writers share one book (40 numbers in a book of 16: most reads miss and
// rotate the generations while the others read).
func TestPhoneBookConcurrent(t *testing.T) {
	b, _ := countingBook(16)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 50 {
				raw := fmt.Sprintf("+1415555%04d", (i*7+w)%40)
				if got := b.forms(raw); got.e164 != raw {
					t.Errorf("forms(%q) = %+v", raw, got)
					return
				}
			}
		})
	}
	wg.Wait()
}
