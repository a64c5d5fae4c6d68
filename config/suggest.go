package config

import "strings"

// suggest returns the candidate closest to name by edit distance (ignoring
// case and "_"), or "" when nothing is close enough to be a likely typo.
func suggest(name string, candidates []string) string {
	n := normName(name)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(n, normName(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	// Allow roughly one mistake per three letters, at least two: enough for
	// "domian" -> "domain" or "clientID" -> "clientId", not for unrelated words.
	limit := len(n) / 3
	if limit < 2 {
		limit = 2
	}
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance with adjacent transpositions
// counted as one edit (optimal string alignment), so "clinetId" is one away.
func editDistance(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
