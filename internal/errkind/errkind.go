// Package errkind marks errors with a kind (a sentinel error) that
// errors.Is finds, without the kind's text in the message: a caller can
// tell, say, a mistake in a request from a failure of the data while the
// user reads only what went wrong.
package errkind

import "fmt"

// kinded is err marked with kind.
type kinded struct{ kind, err error }

func (e *kinded) Error() string   { return e.err.Error() }
func (e *kinded) Unwrap() []error { return []error{e.kind, e.err} }

// Wrap returns err marked with kind: errors.Is(…, kind) and errors.Is(…,
// err) hold, and its text is err's. A nil err stays nil.
func Wrap(kind, err error) error {
	if err == nil {
		return nil
	}
	return &kinded{kind, err}
}

// Errorf returns fmt.Errorf(format, a...) marked with kind (Wrap).
func Errorf(kind error, format string, a ...any) error {
	return &kinded{kind, fmt.Errorf(format, a...)}
}
