package atomicfile

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
)

// umask returns the process's file mode creation mask, read once from
// /proc/self/status (Linux 4.7 and later) without changing it (syscall.Umask
// would, racing with other goroutines creating files); 022 when the
// system does not say.
var umask = sync.OnceValue(func() os.FileMode {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0o022
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Umask:"); ok {
			if m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32); err == nil {
				return os.FileMode(m) & os.ModePerm
			}
		}
	}
	return 0o022
})
