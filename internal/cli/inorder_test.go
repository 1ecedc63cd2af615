package cli

import (
	"context"
	"slices"
	"testing"

	"glusleep/internal/pool"
)

// Results put in any order are emitted in task order, each as soon as the
// earlier ones are; Flush emits those after a gap.
func TestInOrder(t *testing.T) {
	var got []int
	o := NewInOrder(func(i int, v string) {
		if v != string(rune('a'+i)) {
			t.Errorf("task %d emitted with %q", i, v)
		}
		got = append(got, i)
	})
	for _, step := range []struct {
		put  int
		want []int
	}{{2, nil}, {1, nil}, {0, []int{0, 1, 2}}, {4, []int{0, 1, 2}}, {3, []int{0, 1, 2, 3, 4}}, {6, []int{0, 1, 2, 3, 4}}, {8, []int{0, 1, 2, 3, 4}}} {
		o.Put(step.put, string(rune('a'+step.put)))
		if !slices.Equal(got, step.want) {
			t.Fatalf("after %d: emitted %v, want %v", step.put, got, step.want)
		}
	}
	o.Flush() // 5 and 7 never reported
	if want := []int{0, 1, 2, 3, 4, 6, 8}; !slices.Equal(got, want) {
		t.Errorf("after Flush: %v, want %v", got, want)
	}
	// A result that comes after Flush is emitted at once, not held.
	o.Put(5, "f")
	if want := []int{0, 1, 2, 3, 4, 6, 8, 5}; !slices.Equal(got, want) {
		t.Errorf("Put after Flush: %v, want %v", got, want)
	}
}

// Tasks finishing concurrently on a pool are emitted in task order
// whatever the number of workers.
func TestInOrderPool(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		var got []int
		o := NewInOrder(func(i int, _ struct{}) { got = append(got, i) })
		pool.Run(context.Background(), 100, workers, func(_ context.Context, i int) error {
			o.Put(i, struct{}{})
			return nil
		})
		o.Flush()
		if len(got) != 100 || !slices.IsSorted(got) {
			t.Errorf("%d workers: emitted %v", workers, got)
		}
	}
}
