package cli_test

import (
	"context"
	"fmt"

	"glusleep/internal/cli"
	"glusleep/internal/pool"
)

// Tasks run on two workers finish in any order; their lines are printed
// in task order.
func ExampleInOrder() {
	inputs := []string{"a.RAW", "b.RAW", "c.RAW"}
	ordered := cli.NewInOrder(func(i int, line string) { fmt.Println(line) })
	pool.Run(context.Background(), len(inputs), 2, func(_ context.Context, i int) error {
		ordered.Put(i, fmt.Sprintf("%d: %s done", i, inputs[i]))
		return nil
	})
	ordered.Flush()
	// Output:
	// 0: a.RAW done
	// 1: b.RAW done
	// 2: c.RAW done
}
