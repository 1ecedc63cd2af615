package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// demoDirEnv names a folder where `glusleep demo` already ran (CI runs the
// demo binary once and gives its output here, so the demo is not run
// twice): the tests that check the demo's output check that folder.
const demoDirEnv = "GLUSLEEP_DEMO_DIR"

// demoRun is the output of the one `glusleep demo` run the tests check:
// the folder of GLUSLEEP_DEMO_DIR, or, without it, a run made in-process
// on first use (removed by TestMain when the tests end).
var demoRun struct {
	once        sync.Once
	dir, stdout string
	made        string // the temporary folder of a run made here
	err         error
}

// demoOutput returns the folder of the demo's output and what it printed
// (GLUSLEEP_DEMO_DIR's demo.log, or the run made here). Tests that call it
// are skipped with -short.
func demoOutput(t *testing.T) (dir, stdout string) {
	t.Helper()
	if testing.Short() {
		t.Skip("checks the whole demo's output (the demo runs unless " + demoDirEnv + " names a finished run)")
	}
	demoRun.once.Do(func() {
		if d := os.Getenv(demoDirEnv); d != "" {
			b, err := os.ReadFile(filepath.Join(d, "demo.log"))
			if err != nil {
				demoRun.err = fmt.Errorf("%s=%s: the demo's printed summary: %w", demoDirEnv, d, err)
				return
			}
			demoRun.dir, demoRun.stdout = d, string(b)
			return
		}
		d, err := os.MkdirTemp("", "glusleep-demo-test-")
		if err != nil {
			demoRun.err = err
			return
		}
		demoRun.made = d
		var so, se bytes.Buffer
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"demo", "--out", d}); code != 0 {
			demoRun.err = fmt.Errorf("demo exit %d: %s", code, se.String())
			return
		}
		demoRun.dir, demoRun.stdout = d, so.String()
	})
	if demoRun.err != nil {
		t.Fatal(demoRun.err)
	}
	return demoRun.dir, demoRun.stdout
}

// removeDemoRun removes the demo output made by demoOutput, if any.
func removeDemoRun() {
	if demoRun.made != "" {
		os.RemoveAll(demoRun.made)
	}
}
