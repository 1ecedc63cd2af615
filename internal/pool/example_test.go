package pool_test

import (
	"context"
	"fmt"

	"glusleep/internal/pool"
)

func ExampleRun() {
	squares := make([]int, 5)
	errs := pool.Run(context.Background(), len(squares), 2, func(_ context.Context, i int) error {
		squares[i] = i * i
		return nil
	})
	fmt.Println(squares, pool.First(errs))
	// Output: [0 1 4 9 16] <nil>
}
