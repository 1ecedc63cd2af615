// Package cpubench reports a benchmark's CPU time per operation (user plus
// system time of the whole process, all threads, in ns) beside Go's wall
// time, for measurements on machines shared with other work, where wall
// time also counts the time other processes held the cores.
package cpubench

import "testing"

// Start begins measuring; call it just before the benchmark's loop and
// the function it returns just after: it reports "cpu-ns/op" (process CPU
// time over b.N). Where the process's CPU time cannot be read it reports
// nothing.
func Start(b *testing.B) func() {
	t0, ok := processCPU()
	return func() {
		t1, ok1 := processCPU()
		if ok && ok1 && b.N > 0 {
			b.ReportMetric(float64(t1-t0)/float64(b.N), "cpu-ns/op")
		}
	}
}
