package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Progress shows "LABEL: n% (done/total UNIT)" on one terminal line,
// rewritten at most five times a second and only once the work has taken
// a second, then "LABEL: done in X s". A Progress with a nil writer (not a
// terminal, or --quiet) prints nothing.
type Progress struct {
	w           io.Writer
	label, unit string
	t0, last    time.Time
	shown       bool
}

// NewProgress returns a Progress writing to w (nil: silent) for work
// called label, counted in unit ("records", "spectra").
func NewProgress(w io.Writer, label, unit string) *Progress {
	return &Progress{w: w, label: label, unit: unit, t0: time.Now()}
}

// Update reports done of total units finished.
func (p *Progress) Update(done, total int) {
	if p.w == nil || total <= 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.t0) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\r%s: %3.0f%% (%d/%d %s)", p.label, 100*float64(done)/float64(total), done, total, p.unit)
}

// Start shows the label alone ("LABEL: working…") for work without a
// count, at once.
func (p *Progress) Start() {
	if p.w == nil {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "%s: working…", p.label)
}

// Done ends the line with the elapsed time, if anything was shown.
func (p *Progress) Done() {
	if p.shown {
		fmt.Fprintf(p.w, "\r%s: done in %.1f s%s\n", p.label, time.Since(p.t0).Seconds(), strings.Repeat(" ", 20))
	}
}
