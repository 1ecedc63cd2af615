package cli

import (
	"sort"
	"sync"
)

// InOrder hands the results of numbered tasks (0, 1, 2, …) that finish
// in any order (a worker pool) to an emit function in task order, each as
// soon as every earlier one has been handed: a command's output then does
// not depend on how many tasks ran at once. It is safe for concurrent use.
// After Flush nothing is held: a result Put later (a task that reported
// after the run was given up) is emitted at once, out of order.
type InOrder[T any] struct {
	mu      sync.Mutex
	next    int
	held    map[int]T
	emit    func(i int, v T)
	flushed bool
}

// NewInOrder returns an InOrder calling emit (one call at a time).
func NewInOrder[T any](emit func(i int, v T)) *InOrder[T] {
	return &InOrder[T]{held: map[int]T{}, emit: emit}
}

// Put records task i's result v and emits every result that is now next
// in order; after Flush it emits v at once.
func (o *InOrder[T]) Put(i int, v T) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.flushed {
		o.emit(i, v)
		return
	}
	o.held[i] = v
	for {
		v, ok := o.held[o.next]
		if !ok {
			return
		}
		delete(o.held, o.next)
		o.emit(o.next, v)
		o.next++
	}
}

// Flush emits the results still held, in task order: those after a task
// that never reported (a cancelled run). Results Put after it are emitted
// as they come (none is held back for ever).
func (o *InOrder[T]) Flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushed = true
	idx := make([]int, 0, len(o.held))
	for i := range o.held {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		o.emit(i, o.held[i])
		delete(o.held, i)
		o.next = i + 1
	}
}
