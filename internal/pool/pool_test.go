package pool

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestRunBoundsAndErrors(t *testing.T) {
	for _, workers := range []int{1, 2, 5, 0} {
		var active, peak atomic.Int32
		hold := make(chan struct{})
		done := make(chan struct{})
		go func() {
			// Release the jobs once as many as allowed are running.
			for active.Load() < int32(min(Workers(workers), 20)) {
			}
			close(hold)
			close(done)
		}()
		errs := Run(context.Background(), 20, workers, func(_ context.Context, i int) error {
			n := active.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			<-hold
			active.Add(-1)
			if i%7 == 3 {
				return errors.New("job " + string(rune('a'+i)))
			}
			return nil
		})
		<-done
		if int(peak.Load()) != min(Workers(workers), 20) {
			t.Errorf("workers %d: peak %d running at once", workers, peak.Load())
		}
		if First(errs) == nil || First(errs).Error() != "job d" || errs[10] == nil || errs[17] == nil || errs[0] != nil {
			t.Errorf("workers %d: errors %v", workers, errs)
		}
	}
}

// After cancellation no job starts; those not started report ctx.Err().
func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	errs := Run(ctx, 10, 1, func(ctx context.Context, i int) error {
		ran.Add(1)
		if i == 2 {
			cancel()
		}
		return nil
	})
	if ran.Load() != 3 {
		t.Errorf("%d jobs ran, want 3", ran.Load())
	}
	for i, err := range errs {
		if (i <= 2) != (err == nil) || (err != nil && !errors.Is(err, context.Canceled)) {
			t.Errorf("job %d: %v", i, err)
		}
	}
	if n := len(Run(context.Background(), 0, 4, nil)); n != 0 {
		t.Errorf("%d errors for no jobs", n)
	}
}
