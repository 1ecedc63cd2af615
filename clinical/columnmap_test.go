package clinical

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// ReadColumnMap: an empty path is no map; a file is read and checked.
func TestReadColumnMap(t *testing.T) {
	dir := t.TempDir()
	file := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name, path string
		want       ColumnMap
		err        string
	}{
		{"no path: no map", "", nil, ""},
		{"a map", file("ok.json", `{"rls_q1": "irls_01", "sex_code": "sex"}`), ColumnMap{"rls_q1": "irls_01", "sex_code": "sex"}, ""},
		{"two sources, one column", file("dup.json", `{"a": "irls_01", "b": "irls_01"}`), nil, `both map to "irls_01"`},
		{"empty name", file("empty.json", `{"a": ""}`), nil, `"a" maps to an empty name`},
		{"not an object", file("list.json", `["a"]`), nil, "list.json"},
		{"missing file", filepath.Join(dir, "none.json"), nil, "none.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := ReadColumnMap(c.path)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one with %q", err, c.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(m, c.want) {
				t.Errorf("got %v, %v; want %v", m, err, c.want)
			}
		})
	}
}
