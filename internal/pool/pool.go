// Package pool runs independent jobs on a bounded number of goroutines: the
// one worker pool of glusleep (participants of a study run, simulated
// demo participants, ...).
package pool

import (
	"context"
	"runtime"
	"sync"
)

// Workers returns n when n ≥ 1, else runtime.GOMAXPROCS(0): the default
// for a "number of CPUs" option left at 0.
func Workers(n int) int {
	if n >= 1 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// Run calls job(ctx, i) for every i in [0, n) on at most Workers(workers)
// goroutines at once, in increasing i as workers free up, and returns when
// every started call has returned. errs[i] is job i's error; once ctx is
// done no further job starts and the jobs not started get ctx.Err(). A
// job's panic is not recovered (it is a bug in the job).
func Run(ctx context.Context, n, workers int, job func(ctx context.Context, i int) error) (errs []error) {
	errs = make([]error, n)
	ran := make([]bool, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(Workers(workers), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue
				}
				ran[i] = true
				errs[i] = job(ctx, i)
			}
		}()
	}
feed:
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for i := range errs {
		if !ran[i] {
			errs[i] = ctx.Err()
		}
	}
	return errs
}

// First returns the first non-nil error in index order (deterministic,
// unlike the first to happen), or nil.
func First(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
