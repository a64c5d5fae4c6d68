package usermap

// matchNew decides a Genesys user who is not in the snapshot (one who appeared
// since the last sync) exactly as Build(snapshot + u) would, without rebuilding
// the whole map: it builds only u's neighbourhood, i.e. every user whose
// presence can change u's outcome or reason:
//
//   - SJ users claiming u's id, and SJ users with u's e-mail;
//   - Genesys users with u's e-mail, with a claimant's e-mail (the mismatch
//     check), and those named by the explicit ids of the SJ users above;
//   - the SJ users claiming any of those Genesys users (claimed or not,
//     counted once or twice, decides whether they are still free).
//
// TestMatchNewAgreesWithBuild checks this against full builds.
func (x *index) matchNew(u GenesysUser) (Entry, bool) {
	if !genesysActive(&u) || key(u.ID) == "" {
		return Entry{}, false
	}
	k, e := key(u.ID), genesysEmail(&u)
	var sset, gset []int32
	seenS := map[int32]bool{}
	seenG := map[int32]bool{}
	addS := func(list ...int32) {
		for _, s := range list {
			if !seenS[s] {
				seenS[s] = true
				sset = append(sset, s)
			}
		}
	}
	addG := func(list ...int32) {
		for _, g := range list {
			if !seenG[g] {
				seenG[g] = true
				gset = append(gset, g)
			}
		}
	}
	var claimants []int32
	if h, ok := x.unknownHead[k]; ok {
		claimants = walk(h, x.claimNext)
	}
	addS(claimants...)
	addS(x.sWithEmail(e)...)
	addG(x.gWithEmail(e)...)
	for _, s := range claimants {
		addG(x.gWithEmail(x.sEmail[s])...)
	}
	for _, s := range sset {
		if g, ok := x.gByID[x.sExpl[s]]; ok && x.sExpl[s] != "" {
			addG(g)
		}
	}
	for _, g := range gset {
		addS(walk(x.claimHead[g], x.claimNext)...)
	}

	genesys := make([]GenesysUser, 0, len(gset)+1)
	genesys = append(genesys, u)
	for _, g := range gset {
		if x.gKey[g] != k {
			genesys = append(genesys, x.g[g])
		}
	}
	sj := make([]SJUser, len(sset))
	for i, s := range sset {
		sj[i] = x.s[s]
	}
	return Build(genesys, sj).ByGenesysID(u.ID)
}
