package fit

import (
	"sync"

	"glusleep/internal/fft"
)

// plans keeps one FFT plan per power-of-two length, shared by all fits:
// building a plan (its twiddle tables) costs as much as several
// transforms, and a power-of-two plan is safe for concurrent use
// (internal/fft). Other lengths get a plan of their own.
var plans struct {
	sync.Mutex
	byLen map[int]*fft.Plan
}

// planFor returns an FFT plan for length n.
func planFor(n int) *fft.Plan {
	if n < 2 || n&(n-1) != 0 {
		return fft.New(n)
	}
	plans.Lock()
	defer plans.Unlock()
	if p, ok := plans.byLen[n]; ok {
		return p
	}
	if plans.byLen == nil {
		plans.byLen = map[int]*fft.Plan{}
	}
	p := fft.New(n)
	plans.byLen[n] = p
	return p
}
