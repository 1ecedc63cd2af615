package cpubench

import (
	"runtime"
	"testing"
	"time"
)

// Spinning for 50 ms of wall time uses CPU time: at least some of it, and
// no more than the wall time times the number of CPUs (plus the clock's
// tick).
func TestProcessCPUCountsWork(t *testing.T) {
	t0, ok := processCPU()
	if !ok {
		t.Skip("no process CPU time on this system")
	}
	start := time.Now()
	x := 1.0
	for time.Since(start) < 50*time.Millisecond {
		for i := 0; i < 1000; i++ {
			x = x*1.0000001 + 1e-9
		}
	}
	wall := time.Since(start)
	t1, _ := processCPU()
	d := t1 - t0
	if d <= 0 || d > wall*time.Duration(runtime.NumCPU())+20*time.Millisecond {
		t.Errorf("CPU time %v over %v of spinning (x=%g)", d, wall, x)
	}
}
