package clinical

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"glusleep/internal/tsv"
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
		{"a source listed twice", file("twice.json", `{"a": "x", "a": "y"}`), nil, `"a" is listed twice`},
		{"a number, not a name", file("num.json", `{"a": 3}`), nil, `"a" maps to 3, not a column name`},
		{"an object, not a name", file("obj.json", `{"a": {"b": "c"}}`), nil, `"a" maps to an object, not a column name`},
		{"text after the object", file("after.json", `{"a": "x"} {}`), nil, "an object after the object"},
		{"cut short", file("cut.json", `{"a": "x",`), nil, "cut.json: the file ends before the object is closed"},
		{"empty file", file("zero.json", ``), nil, "zero.json: empty file"},
		{"an empty object: no renaming", file("none2.json", `{}`), ColumnMap{}, ""},
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

// A column map over MaxColumnMapBytes is refused before it is read
// (a sparse file of 1 GiB reads nothing), with an error naming the file
// and wrapping tsv.ErrLimit; one byte under the budget is read.
func TestReadColumnMapBudget(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "huge_map.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadColumnMap(big)
	if err == nil || !errors.Is(err, tsv.ErrLimit) || !strings.Contains(err.Error(), "huge_map.json") ||
		!strings.Contains(err.Error(), fmt.Sprintf("over the %d-byte budget", MaxColumnMapBytes)) {
		t.Errorf("1 GiB column map: %v; want a budget error naming the file", err)
	}
	// Just within the budget: a valid map padded with spaces.
	body := `{"rls_q1": "irls_01"}`
	within := filepath.Join(dir, "padded.json")
	if err := os.WriteFile(within, []byte(body+strings.Repeat(" ", MaxColumnMapBytes-len(body))), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadColumnMap(within); err != nil || m["rls_q1"] != "irls_01" {
		t.Errorf("map of exactly %d bytes: %v, %v", MaxColumnMapBytes, m, err)
	}
	over := filepath.Join(dir, "over.json")
	if err := os.WriteFile(over, []byte(body+strings.Repeat(" ", MaxColumnMapBytes-len(body)+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadColumnMap(over); !errors.Is(err, tsv.ErrLimit) {
		t.Errorf("map one byte over the budget: %v, want tsv.ErrLimit", err)
	}
}
