//go:build unix

package study

import (
	"errors"
	"os"
	"syscall"
)

// processAlive says whether a process with this pid runs on this host
// (signal 0 probes without signalling; EPERM means it runs as another
// user).
func processAlive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
