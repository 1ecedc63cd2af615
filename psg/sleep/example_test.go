package sleep_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"glusleep/psg/annot"
	"glusleep/psg/sleep"
)

// Compute the AASM measures of a short scored night: ten 30 s epochs
// between lights off (0 s) and lights on (300 s). Sleep begins with the
// third epoch; one wake epoch inside the sleep period is WASO, the wake
// after the final awakening is not.
func ExampleCompute() {
	h, err := annot.ReadStageList(strings.NewReader("W\nW\nN1\nN2\nW\nN2\nN3\nR\nR\nW\n"), 30)
	if err != nil {
		fmt.Println(err)
		return
	}
	off, on := 0.0, 300.0
	st, err := sleep.Compute(h, sleep.Options{LightsOff: &off, LightsOn: &on})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("TIB %g min, TST %g min, SE %.1f %%\n", st.TIB, st.TST, st.SE)
	fmt.Printf("sleep onset latency %g min, REM latency %g min\n", st.SOL, st.REMLatency)
	fmt.Printf("WASO %g min, then %g min awake before lights on\n", st.WASO, st.WakeAfterFinalAwakening)
	fmt.Printf("N2 %g min (%.1f %% of TST), R %g min, %d awakening, %d stage shifts\n", st.N2, st.PctN2, st.R, st.Awakenings, st.StageShifts)
	// Output:
	// TIB 5 min, TST 3 min, SE 60.0 %
	// sleep onset latency 1 min, REM latency 2.5 min
	// WASO 0.5 min, then 0.5 min awake before lights on
	// N2 1 min (33.3 % of TST), R 1 min, 1 awakening, 7 stage shifts
}

// A hypnogram with no scored epoch has no sleep measures: Compute says so
// rather than returning zeros.
func ExampleCompute_unscored() {
	h, err := annot.ReadStageList(strings.NewReader("?\n?\n?\n"), 30)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = sleep.Compute(h, sleep.Options{})
	fmt.Println(errors.Is(err, sleep.ErrNoStages))
	// Output: true
}

// The hypnogram's time axis shows clock time when the recording start is
// known (an EDF header's), and hours from the start when it is not; a
// de-identified start (year DateUnknown) keeps only its clock time.
func ExampleNewTimeAxis() {
	start := time.Date(2024, 3, 5, 22, 30, 0, 0, time.UTC)
	for _, a := range []sleep.TimeAxis{
		sleep.NewTimeAxis(start),
		sleep.NewTimeAxis(time.Date(sleep.DateUnknown, 1, 1, 22, 30, 0, 0, time.UTC)),
		sleep.NewTimeAxis(time.Time{}),
	} {
		fmt.Printf("%s | 90 min after the start: %s\n", a.Label, a.Format(5400))
	}
	// Output:
	// clock time (recording started 5 Mar 2024 22:30:00) | 90 min after the start: 00:00
	// clock time (recording started 22:30:00; date not recorded) | 90 min after the start: 00:00
	// time from recording start (h) | 90 min after the start: 1.50 h
}
