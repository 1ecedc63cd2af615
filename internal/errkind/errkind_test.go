package errkind

import (
	"errors"
	"io"
	"testing"
)

func TestWrap(t *testing.T) {
	kind := errors.New("pkg: invalid request")
	err := Errorf(kind, "need %s: %w", "a column", io.EOF)
	if err.Error() != "need a column: EOF" || !errors.Is(err, kind) || !errors.Is(err, io.EOF) {
		t.Errorf("%v: kind %v, cause %v", err, errors.Is(err, kind), errors.Is(err, io.EOF))
	}
	if w := Wrap(kind, io.ErrUnexpectedEOF); w.Error() != io.ErrUnexpectedEOF.Error() || !errors.Is(w, kind) {
		t.Errorf("Wrap: %v", w)
	}
	if Wrap(kind, nil) != nil {
		t.Error("Wrap(kind, nil) is not nil")
	}
}
