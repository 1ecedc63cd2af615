package nifti

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// bomb returns a gzip file of head followed by 2048 members each inflating
// to 1 MiB of zeros: about 2 MB that unpacks to 2 GiB.
func bomb(t *testing.T, head []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(head)
	zw.Close()
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(make([]byte, 1<<20))
	w.Close()
	for i := 0; i < 2048; i++ {
		out.Write(z.Bytes())
	}
	return out.Bytes()
}

// Two 2 MB .nii.gz files that unpack to 2 GiB — one whose header declares
// 2 GiB of samples, one with a small valid header and 2 GiB of trailing
// zeros — are refused with an error by a process limited to 1 GiB of
// memory (a child of this test), not killed for lack of it. The limit is
// RLIMIT_DATA (`ulimit -d`: every writable mapping, so every allocation),
// not RLIMIT_AS: a Go process reserves more than 1 GiB of address space
// at start (VmSize ≈ 1.2 GiB, VmData ≈ 70 MiB here), so an address-space
// limit of 1 GiB would fail any Go program's next heap growth.
func TestGzipBombUnderMemoryLimit(t *testing.T) {
	if path := os.Getenv("GLUSLEEP_NIFTI_BOMB"); path != "" {
		lim := syscall.Rlimit{Cur: 1 << 30, Max: 1 << 30}
		if err := syscall.Setrlimit(syscall.RLIMIT_DATA, &lim); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(path)
		if err == nil {
			t.Fatal("bomb read without error")
		}
		os.Stdout.WriteString("REFUSED " + err.Error() + "\n")
		return
	}
	if testing.Short() {
		t.Skip("inflates up to 16 MiB per bomb")
	}
	var good bytes.Buffer
	if err := Write(&good, &File{Header: DefaultHeader(sampleData()), Data: sampleData()}); err != nil {
		t.Fatal(err)
	}
	declared := append([]byte(nil), good.Bytes()...)
	binary.LittleEndian.PutUint64(declared[16+8*4:], 1<<24) // 16 Mi points × 2 × 3 FIDs × 8 bytes
	dir := t.TempDir()
	for name, head := range map[string][]byte{"declared.nii.gz": declared, "tail.nii.gz": good.Bytes()} {
		b := bomb(t, head)
		if len(b) > 3<<20 {
			t.Fatalf("bomb is %d bytes", len(b))
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestGzipBombUnderMemoryLimit$", "-test.v")
		cmd.Env = append(os.Environ(), "GLUSLEEP_NIFTI_BOMB="+path)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "REFUSED") || !strings.Contains(string(out), name) {
			t.Errorf("%s (%d bytes): child %v:\n%s", name, len(b), err, out)
		}
	}
}
