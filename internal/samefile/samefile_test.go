package samefile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIs(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x.edf")
	y := filepath.Join(dir, "y.edf")
	for _, p := range []string{x, y} {
		if err := os.WriteFile(p, []byte(filepath.Base(p)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(x, filepath.Join(dir, "sym.edf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(x, filepath.Join(dir, "hard.edf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{x, x, true},
		{"x.edf", x, true},
		{"./x.edf", "x.edf", true},
		{"sub/../x.edf", "x.edf", true},
		{"sym.edf", "x.edf", true},
		{"hard.edf", "x.edf", true},
		{"alias/x.edf", "x.edf", true},
		{"x.edf", "y.edf", false},
		{"x.edf", "new.edf", false},
		// neither exists: the names decide, with the folder's links resolved
		{"new.edf", "./new.edf", true},
		{"alias/new.edf", "new.edf", true},
		{"sub/new.edf", "new.edf", false},
		{"gone/new.edf", "gone/./new.edf", true},
	} {
		if got := Is(c.a, c.b); got != c.want {
			t.Errorf("Is(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Is(c.b, c.a); got != c.want {
			t.Errorf("Is(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}
