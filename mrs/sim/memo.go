package sim

import (
	"fmt"
	"strings"
	"sync"
)

// MemoSamples bounds the memo of simulated FIDs: the most samples (16
// bytes each) it holds, 2 Mi (32 MiB).
const MemoSamples = 1 << 21

// memo keeps recent FIDs by everything that determines them, because a
// study (and a test suite) simulates the same basis for spectrum after
// spectrum. Entries leave in the order they came once the bound is
// reached. Callers get copies.
var memo struct {
	sync.Mutex
	fids    map[string][]complex128
	order   []string
	samples int
}

// memoKey identifies an FID: the metabolite's spin systems (its Source is
// only a citation), the sequence, frequency, dwell, points and centre,
// with floats in their shortest exact form and the strings quoted, so that
// a '|' in a name cannot make two keys alike.
func memoKey(m Metabolite, q Sequence, mhz, dwell float64, n int, centre float64) string {
	return fmt.Sprintf("%q|%v|%q|%v|%v|%v|%d|%v", m.Name, m.Groups, strings.ToLower(q.Kind), []float64{q.TE1, q.TE2, q.TE, q.TM}, mhz, dwell, n, centre)
}

// memoGet returns a copy of the memorised FID for key, if any.
func memoGet(key string) ([]complex128, bool) {
	memo.Lock()
	defer memo.Unlock()
	f, ok := memo.fids[key]
	if !ok {
		return nil, false
	}
	return append([]complex128(nil), f...), true
}

// memoPut memorises a copy of fid under key, evicting the oldest entries
// beyond MemoSamples.
func memoPut(key string, fid []complex128) {
	if len(fid) > MemoSamples/4 {
		return
	}
	memo.Lock()
	defer memo.Unlock()
	if memo.fids == nil {
		memo.fids = map[string][]complex128{}
	}
	if _, ok := memo.fids[key]; ok {
		return
	}
	for memo.samples+len(fid) > MemoSamples && len(memo.order) > 0 {
		old := memo.order[0]
		memo.order = memo.order[1:]
		memo.samples -= len(memo.fids[old])
		delete(memo.fids, old)
	}
	memo.fids[key] = append([]complex128(nil), fid...)
	memo.order = append(memo.order, key)
	memo.samples += len(fid)
}
