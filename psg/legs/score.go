package legs

import (
	"fmt"
	"math"
	"sort"

	"glusleep/psg/annot"
)

// Standard selects the scoring rules.
type Standard string

// The standards implemented (see the package documentation).
const (
	WASM2016 Standard = "wasm2016"
	AASM     Standard = "aasm"
)

// ParseStandard accepts "wasm2016" or "aasm" (case-insensitive).
func ParseStandard(s string) (Standard, error) {
	switch Standard(lower(s)) {
	case WASM2016, "wasm":
		return WASM2016, nil
	case AASM:
		return AASM, nil
	}
	return "", fmt.Errorf("unknown leg-movement standard %q (want wasm2016 or aasm)", s)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Params are the scoring rules and the EMG conditioning. DefaultParams
// gives each standard's values; all times in seconds, amplitudes in µV.
type Params struct {
	Standard Standard `json:"standard"`
	// OnsetUV and OffsetUV are the rises above the resting EMG that start
	// and (held below for OffsetQuietSeconds) end an LM.
	OnsetUV            float64 `json:"onset_uv"`
	OffsetUV           float64 `json:"offset_uv"`
	OffsetQuietSeconds float64 `json:"offset_quiet_s"`
	// MinSeconds is the shortest LM; MaxMonoSeconds and MaxBilatSeconds the
	// longest monolateral and bilateral candidate (AASM: the longest LM).
	MinSeconds      float64 `json:"min_duration_s"`
	MaxMonoSeconds  float64 `json:"max_monolateral_s"`
	MaxBilatSeconds float64 `json:"max_bilateral_s"`
	// BilateralGapSeconds (WASM): the two legs' LMs overlapping or closer
	// than this (offset to onset) form one bilateral LM.
	// BilateralOnsetSeconds (AASM): LMs of the two legs with onsets closer
	// than this count as one.
	BilateralGapSeconds   float64 `json:"bilateral_gap_s,omitempty"`
	BilateralOnsetSeconds float64 `json:"bilateral_onset_s,omitempty"`
	// MinIMISeconds and MaxIMISeconds bound the onset-to-onset intervals of
	// a PLM series of at least MinSeries movements.
	MinIMISeconds float64 `json:"min_imi_s"`
	MaxIMISeconds float64 `json:"max_imi_s"`
	MinSeries     int     `json:"min_series"`
	// LongBreaks: an LM too long to be a candidate ends a run (WASM).
	LongBreaks bool `json:"long_lm_breaks_series"`
	// Respiratory exclusion window: from RespBeforeSeconds before to
	// RespAfterSeconds after the event's end (RespFromEnd, WASM) or from
	// before its onset to after its end (AASM). RespiratoryBreaks makes an
	// excluded movement end a run.
	RespFromEnd       bool    `json:"respiratory_window_from_end"`
	RespBeforeSeconds float64 `json:"respiratory_before_s"`
	RespAfterSeconds  float64 `json:"respiratory_after_s"`
	RespiratoryBreaks bool    `json:"respiratory_breaks_series"`
	// ArousalGapSeconds: an LM and an arousal overlapping or closer than
	// this are associated.
	ArousalGapSeconds float64 `json:"arousal_gap_s"`
	// EMG conditioning (see Envelope and Baseline).
	BandLowHz             float64 `json:"band_low_hz"`
	BandHighHz            float64 `json:"band_high_hz"`
	EnvelopeSeconds       float64 `json:"envelope_s"`
	BaselineWindowSeconds float64 `json:"baseline_window_s"`
	BaselinePercentile    float64 `json:"baseline_percentile"`
	// MinRateHz is the slowest sampling rate the standard accepts; slower
	// channels are scored with a warning.
	MinRateHz float64 `json:"min_rate_hz"`
}

// DefaultParams returns the rules of standard s (WASM2016 when s is empty).
func DefaultParams(s Standard) Params {
	p := Params{Standard: WASM2016, OnsetUV: 8, OffsetUV: 2, OffsetQuietSeconds: 0.5, MinSeconds: 0.5,
		MaxMonoSeconds: 10, MaxBilatSeconds: 15, BilateralGapSeconds: 0.5,
		MinIMISeconds: 10, MaxIMISeconds: 90, MinSeries: 4, LongBreaks: true,
		RespFromEnd: true, RespBeforeSeconds: 2, RespAfterSeconds: 10.25, RespiratoryBreaks: true,
		ArousalGapSeconds: 0.5,
		BandLowHz:         10, BandHighHz: 100, EnvelopeSeconds: 0.1, BaselineWindowSeconds: 60, BaselinePercentile: 20,
		MinRateHz: 200}
	if s == AASM {
		p.Standard = AASM
		p.MaxBilatSeconds = 10
		p.BilateralGapSeconds = 0
		p.BilateralOnsetSeconds = 5
		p.MinIMISeconds = 5
		p.LongBreaks = false
		p.RespFromEnd, p.RespBeforeSeconds, p.RespAfterSeconds = false, 0.5, 0.5
	}
	return p
}

// Side is the leg or legs of a movement.
type Side string

// Sides.
const (
	Left      Side = "left"
	Right     Side = "right"
	Bilateral Side = "bilateral"
)

// Kind is how a movement was scored: an LM that is not a candidate (too
// long or too short), a CLM (WASM) or LM (AASM) that is not periodic, or a
// PLM.
type Kind string

// Kinds.
const (
	KindLM  Kind = "LM"
	KindCLM Kind = "CLM"
	KindPLM Kind = "PLM"
)

// Movement is one scored movement (a monolateral LM or a combination).
type Movement struct {
	// Onset and Duration in seconds from the recording start.
	Onset    float64 `json:"onset"`
	Duration float64 `json:"duration"`
	Side     Side    `json:"side"`
	// Parts is the number of monolateral LMs combined.
	Parts int `json:"parts"`
	// Candidate: the movement meets the duration rules (a CLM under WASM,
	// an LM under AASM).
	Candidate bool `json:"candidate"`
	Kind      Kind `json:"kind"`
	// Series numbers the PLM series from 1 (0: none).
	Series int `json:"series"`
	// Stage at the onset; Excluded gives the reason a candidate was not
	// counted ("respiratory", "outside the scored time"), empty otherwise.
	Stage    annot.Stage `json:"-"`
	Excluded string      `json:"excluded_reason,omitempty"`
	// Arousal: associated with a scored arousal.
	Arousal bool `json:"arousal"`
	// PeakUV is the largest rise above the resting EMG (µV).
	PeakUV float64 `json:"peak_uv"`
	// Reason says why a non-candidate is not one ("shorter than 0.5 s",
	// "longer than 10 s").
	Reason string `json:"reason,omitempty"`
}

// Measures are a night's summary values.
type Measures struct {
	// LMCount counts every LM of at least MinSeconds (after combining the
	// legs); CLMCount the candidates (WASM CLM, AASM LM) in the scored
	// time not excluded; PLMCount, PLMSCount and PLMWCount the PLMs in all
	// scored time, in sleep and in wake.
	LMCount   int `json:"lm_count"`
	CLMCount  int `json:"clm_count"`
	PLMCount  int `json:"plm_count"`
	PLMSCount int `json:"plms_count"`
	PLMWCount int `json:"plmw_count"`
	// RespiratoryExcluded counts candidates excluded near respiratory events.
	RespiratoryExcluded int `json:"respiratory_excluded"`
	Series              int `json:"plm_series"`
	// TSTHours and WakeHours are the sleep and in-bed wake the indices use.
	TSTHours  float64 `json:"tst_h"`
	WakeHours float64 `json:"wake_h"`
	// PLMSIndex and PLMWIndex are PLMs per hour of sleep and of wake; LMS
	// and CLMS indices the LMs and candidates per hour of sleep (NaN when
	// the time is zero).
	PLMSIndex float64 `json:"plms_index"`
	PLMWIndex float64 `json:"plmw_index"`
	LMSIndex  float64 `json:"lms_index"`
	CLMSIndex float64 `json:"clms_index"`
	// PerStage counts candidates and PLMs by stage at onset (W, N1, N2,
	// N3, R).
	CandidatesPerStage map[string]int `json:"candidates_per_stage"`
	PLMPerStage        map[string]int `json:"plm_per_stage"`
	// IMIHistogram counts intervals between consecutive counted candidates
	// in sleep in 2 s bins from 0 to 90 s, then one bin for > 90 s.
	IMIHistogram []int `json:"imi_histogram_2s"`
	// PeriodicityIndex is Ferri's index over those intervals (NaN without
	// intervals).
	PeriodicityIndex float64 `json:"periodicity_index"`
	// MeanPLMSeconds is the mean PLM duration; PLMArousalPercent the share
	// of PLMs associated with an arousal (NaN without PLMs).
	MeanPLMSeconds    float64 `json:"mean_plm_duration_s"`
	PLMArousalPercent float64 `json:"plm_arousal_percent"`
}

// Result is a scored night.
type Result struct {
	Params    Params     `json:"parameters"`
	Movements []Movement `json:"-"`
	Measures  Measures   `json:"measures"`
	// Events says which scored events the rules had, and so which
	// event-based rules were applied.
	Events   EventUse `json:"events"`
	Warnings []string `json:"warnings"`
	// emg is the leg EMG ScoreFile scored, as {left, right} pairs (one per
	// continuous segment) for EMGFigure; nil for a result scored otherwise.
	emg [][2]*Channel
}

// EventUse counts the scored events the rules used and says which
// event-based rules could be applied: the respiratory exclusion needs
// apneas, hypopneas or RERAs; the arousal association needs arousals.
// Without them the measures are computed without the rule, and outputs
// say so (respiratory_events: "absent").
type EventUse struct {
	// Respiratory and Arousals count the events (apneas, hypopneas and
	// RERAs; arousals) in the hypnogram's events.
	Respiratory int `json:"respiratory"`
	Arousals    int `json:"arousals"`
	// RespiratoryApplied and ArousalApplied report whether the rules ran
	// (false when there were no such events).
	RespiratoryApplied bool `json:"respiratory_exclusion_applied"`
	ArousalApplied     bool `json:"arousal_association_applied"`
}

// Applied lists the event-based rules applied and NotApplied those that
// could not be, each with its reason.
func (u EventUse) Applied() (applied, notApplied []string) {
	if u.RespiratoryApplied {
		applied = append(applied, fmt.Sprintf("respiratory exclusion (%d apneas, hypopneas and RERAs)", u.Respiratory))
	} else {
		notApplied = append(notApplied, "respiratory exclusion: no apneas, hypopneas or RERAs in the scored events")
	}
	if u.ArousalApplied {
		applied = append(applied, fmt.Sprintf("arousal association (%d arousals)", u.Arousals))
	} else {
		notApplied = append(notApplied, "arousal association: no arousals in the scored events")
	}
	return applied, notApplied
}

// Score combines the two legs' LMs (seconds from the recording start; right
// may be nil for one leg), applies the standard's candidate, respiratory
// and series rules with the hypnogram h (stages, lights, arousals and
// respiratory events; nil scores without stages, counting no PLMS or
// PLMW), and returns the movements in onset order and the measures.
func Score(left, right []Interval, h *annot.Hypnogram, p Params) *Result {
	res := &Result{Params: p}
	var mov []Movement
	if p.Standard == AASM {
		mov = combineAASM(left, right, p)
	} else {
		mov = combineWASM(left, right, p)
	}
	var resp, arousals []annot.Event
	lo, hi := math.Inf(-1), math.Inf(1)
	if h != nil {
		for _, e := range h.Events {
			switch {
			case e.Kind.Respiratory():
				resp = append(resp, e)
			case e.Kind == annot.Arousal:
				arousals = append(arousals, e)
			}
		}
		lo, hi = h.Start, h.End()
		if t, ok := h.LightsOff(); ok {
			lo = math.Max(lo, t)
		}
		if t, ok := h.LightsOn(); ok {
			hi = math.Min(hi, t)
		}
	}
	for i := range mov {
		m := &mov[i]
		m.Stage = annot.Unscored
		if h != nil {
			m.Stage = h.StageAt(m.Onset)
		}
		end := m.Onset + m.Duration
		for _, a := range arousals {
			if m.Onset < a.Onset+a.Duration+p.ArousalGapSeconds-eps && a.Onset < end+p.ArousalGapSeconds-eps {
				m.Arousal = true
				break
			}
		}
		if !m.Candidate {
			continue
		}
		if h != nil && (m.Onset < lo || m.Onset >= hi || (m.Stage != annot.Wake && !m.Stage.IsSleep())) {
			m.Excluded = "outside the scored time"
			continue
		}
		for _, e := range resp {
			w0, w1 := e.Onset-p.RespBeforeSeconds, e.Onset+e.Duration+p.RespAfterSeconds
			if p.RespFromEnd {
				w0 = e.Onset + e.Duration - p.RespBeforeSeconds
			}
			if m.Onset <= w1+eps && end >= w0-eps {
				m.Excluded = "respiratory"
				break
			}
		}
	}
	series(mov, p)
	res.Movements = mov
	res.Measures = measures(mov, h, lo, hi, p)
	res.Events = EventUse{Respiratory: len(resp), Arousals: len(arousals), RespiratoryApplied: len(resp) > 0, ArousalApplied: len(arousals) > 0}
	if len(resp) == 0 {
		res.Warnings = append(res.Warnings, "no respiratory events (apneas, hypopneas, RERAs) were scored or given: PLMs are counted without the respiratory exclusion")
	}
	if len(arousals) == 0 {
		res.Warnings = append(res.Warnings, "no arousals were scored or given: PLM-arousal association not assessed")
	}
	return res
}

// counted reports whether m takes part in series: a candidate not excluded.
func counted(m *Movement) bool { return m.Candidate && m.Excluded == "" }

// series marks PLM runs: consecutive counted candidates with intervals in
// [MinIMI, MaxIMI], broken by intervals outside it, by non-candidate LMs
// when LongBreaks, and by respiratory-excluded candidates when
// RespiratoryBreaks.
func series(mov []Movement, p Params) {
	var run []int
	id := 0
	flush := func() {
		if len(run) >= p.MinSeries {
			id++
			for _, k := range run {
				mov[k].Kind, mov[k].Series = KindPLM, id
			}
		}
		run = run[:0]
	}
	for i := range mov {
		m := &mov[i]
		if !counted(m) {
			if (!m.Candidate && p.LongBreaks && m.Reason != reasonShort) || (m.Excluded == "respiratory" && p.RespiratoryBreaks) {
				flush()
			}
			continue
		}
		if len(run) > 0 {
			imi := m.Onset - mov[run[len(run)-1]].Onset
			if imi < p.MinIMISeconds-eps || imi > p.MaxIMISeconds+eps {
				flush()
			}
		}
		run = append(run, i)
	}
	flush()
}

const reasonShort = "shorter than the minimum"

// eps is the tolerance of every time comparison (s): thresholds hold at
// their value despite rounding in sums of sample times.
const eps = 1e-6

// lm is one leg's LM.
type lm struct {
	Interval
	side Side
}

// bothLegs returns the LMs of the two legs by onset (left first at equal
// onsets).
func bothLegs(left, right []Interval) []lm {
	all := make([]lm, 0, len(left)+len(right))
	for _, iv := range left {
		all = append(all, lm{iv, Left})
	}
	for _, iv := range right {
		all = append(all, lm{iv, Right})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Onset < all[j].Onset })
	return all
}

// combineWASM merges each leg's LMs into monolateral and bilateral
// movements: LMs of different legs overlapping or closer than
// BilateralGapSeconds join (transitively) into one bilateral LM.
func combineWASM(left, right []Interval, p Params) []Movement {
	all := bothLegs(left, right)
	var out []Movement
	for i := 0; i < len(all); {
		// Only LMs of at least MinSeconds take part; shorter ones are
		// kept as non-candidates and do not bridge legs.
		if all[i].Duration() < p.MinSeconds-eps {
			out = append(out, Movement{Onset: all[i].Onset, Duration: all[i].Duration(), Side: all[i].side, Parts: 1,
				Kind: KindLM, PeakUV: all[i].PeakUV, Reason: reasonShort})
			i++
			continue
		}
		g := Movement{Onset: all[i].Onset, Side: all[i].side, Parts: 1, PeakUV: all[i].PeakUV}
		end := all[i].Offset
		j := i + 1
		for ; j < len(all); j++ {
			n := all[j]
			if n.Duration() < p.MinSeconds-eps {
				continue
			}
			if n.Onset-end > p.BilateralGapSeconds-eps {
				break
			}
			if n.side != g.Side {
				g.Side = Bilateral
			}
			g.Parts++
			end = math.Max(end, n.Offset)
			g.PeakUV = math.Max(g.PeakUV, n.PeakUV)
		}
		// Short LMs skipped inside the group are dropped with it.
		for k := i + 1; k < j; k++ {
			if all[k].Duration() < p.MinSeconds-eps {
				out = append(out, Movement{Onset: all[k].Onset, Duration: all[k].Duration(), Side: all[k].side, Parts: 1,
					Kind: KindLM, PeakUV: all[k].PeakUV, Reason: reasonShort})
			}
		}
		g.Duration = end - g.Onset
		limit := p.MaxMonoSeconds
		if g.Side == Bilateral {
			limit = p.MaxBilatSeconds
		}
		if g.Duration <= limit+eps {
			g.Candidate, g.Kind = true, KindCLM
		} else {
			g.Kind, g.Reason = KindLM, fmt.Sprintf("longer than %g s", limit)
		}
		out = append(out, g)
		i = j
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Onset < out[b].Onset })
	return out
}

// combineAASM scores each leg's LMs of MinSeconds to MaxMonoSeconds as LMs
// and counts LMs of the two legs with onsets closer than
// BilateralOnsetSeconds as one (onset of the first, end of the last).
func combineAASM(left, right []Interval, p Params) []Movement {
	var ok, out []Movement
	all := bothLegs(left, right)
	var cand []lm
	for _, a := range all {
		d := a.Duration()
		switch {
		case d < p.MinSeconds-eps:
			out = append(out, Movement{Onset: a.Onset, Duration: d, Side: a.side, Parts: 1, Kind: KindLM, PeakUV: a.PeakUV, Reason: reasonShort})
		case d > p.MaxMonoSeconds+eps:
			out = append(out, Movement{Onset: a.Onset, Duration: d, Side: a.side, Parts: 1, Kind: KindLM, PeakUV: a.PeakUV,
				Reason: fmt.Sprintf("longer than %g s", p.MaxMonoSeconds)})
		default:
			cand = append(cand, a)
		}
	}
	for i := 0; i < len(cand); {
		g := Movement{Onset: cand[i].Onset, Side: cand[i].side, Parts: 1, PeakUV: cand[i].PeakUV, Candidate: true, Kind: KindCLM}
		end := cand[i].Offset
		j := i + 1
		for ; j < len(cand) && cand[j].side != cand[i].side && cand[j].Onset-cand[i].Onset < p.BilateralOnsetSeconds-eps; j++ {
			g.Side = Bilateral
			g.Parts++
			end = math.Max(end, cand[j].Offset)
			g.PeakUV = math.Max(g.PeakUV, cand[j].PeakUV)
		}
		g.Duration = end - g.Onset
		ok = append(ok, g)
		i = j
	}
	out = append(out, ok...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Onset < out[b].Onset })
	return out
}

// measures computes the summary of scored movements.
func measures(mov []Movement, h *annot.Hypnogram, lo, hi float64, p Params) Measures {
	ms := Measures{CandidatesPerStage: map[string]int{}, PLMPerStage: map[string]int{}, IMIHistogram: make([]int, 46)}
	if h != nil {
		ms.TSTHours, ms.WakeHours = stageHours(h, lo, hi)
	}
	plmDur, plmArousal, imis := ms.count(mov, p)
	seen := map[int]bool{}
	for _, m := range mov {
		if m.Series > 0 {
			seen[m.Series] = true
		}
	}
	ms.Series = len(seen)
	per := func(n int, hours float64) float64 {
		if hours <= 0 {
			return math.NaN()
		}
		return float64(n) / hours
	}
	lms := 0
	for _, m := range mov {
		if m.Reason != reasonShort && m.Stage.IsSleep() {
			lms++
		}
	}
	ms.PLMSIndex, ms.PLMWIndex = per(ms.PLMSCount, ms.TSTHours), per(ms.PLMWCount, ms.WakeHours)
	ms.LMSIndex = per(lms, ms.TSTHours)
	clms := 0
	for st, n := range ms.CandidatesPerStage {
		if st != "W" && st != "?" && st != "MT" {
			clms += n
		}
	}
	ms.CLMSIndex = per(clms, ms.TSTHours)
	ms.PeriodicityIndex = periodicity(imis)
	ms.MeanPLMSeconds, ms.PLMArousalPercent = math.NaN(), math.NaN()
	if ms.PLMCount > 0 {
		ms.MeanPLMSeconds = plmDur / float64(ms.PLMCount)
		ms.PLMArousalPercent = 100 * float64(plmArousal) / float64(ms.PLMCount)
	}
	return ms
}

// stageHours returns the hours of sleep and of wake that h scores between
// lo and hi s.
func stageHours(h *annot.Hypnogram, lo, hi float64) (sleepH, wakeH float64) {
	for i, st := range h.Stages {
		t0 := h.Start + float64(i)*h.Epoch
		t1 := t0 + h.Epoch
		ov := math.Max(0, math.Min(t1, hi)-math.Max(t0, lo))
		switch {
		case st.IsSleep():
			sleepH += ov
		case st == annot.Wake:
			wakeH += ov
		}
	}
	return sleepH / 3600, wakeH / 3600
}

// count counts the movements into ms (LMs, candidates and PLMs by stage,
// respiratory exclusions, the histogram of intermovement intervals in
// sleep) and returns the PLMs' total duration in s, the number of PLMs
// with an arousal and the intermovement intervals in s (a sequence broken
// where p's rules break it, and by a candidate outside sleep).
func (ms *Measures) count(mov []Movement, p Params) (plmDur float64, plmArousal int, imis []float64) {
	prev := -1.0
	for i := range mov {
		m := &mov[i]
		if m.Reason != reasonShort {
			ms.LMCount++
		}
		if m.Excluded == "respiratory" {
			ms.RespiratoryExcluded++
		}
		if !counted(m) {
			if (!m.Candidate && p.LongBreaks && m.Reason != reasonShort) || (m.Excluded == "respiratory" && p.RespiratoryBreaks) {
				prev = -1
			}
			continue
		}
		ms.CLMCount++
		ms.CandidatesPerStage[m.Stage.String()]++
		if m.Stage.IsSleep() {
			if prev >= 0 {
				imi := m.Onset - prev
				imis = append(imis, imi)
				b := int(imi / 2)
				if imi > 90 {
					b = 45
				} else if b > 44 {
					b = 44
				}
				ms.IMIHistogram[b]++
			}
			prev = m.Onset
		} else {
			prev = -1
		}
		if m.Kind == KindPLM {
			ms.PLMCount++
			ms.PLMPerStage[m.Stage.String()]++
			plmDur += m.Duration
			if m.Arousal {
				plmArousal++
			}
			switch {
			case m.Stage.IsSleep():
				ms.PLMSCount++
			case m.Stage == annot.Wake:
				ms.PLMWCount++
			}
		}
	}
	return plmDur, plmArousal, imis
}

// periodicity returns Ferri's periodicity index: the share of intervals
// that belong to runs of at least three consecutive intervals all within
// [10, 90] s (NaN without intervals).
func periodicity(imis []float64) float64 {
	if len(imis) == 0 {
		return math.NaN()
	}
	n, run := 0, 0
	for _, v := range append(imis, math.Inf(1)) {
		if v >= 10 && v <= 90 {
			run++
			continue
		}
		if run >= 3 {
			n += run
		}
		run = 0
	}
	return float64(n) / float64(len(imis))
}
