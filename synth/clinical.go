package synth

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// ClinicalTruth is what a synthetic participant's questionnaire answers
// were built to give. Scores are chosen first and the answers derived from
// them, so a scorer must recover these numbers from the answers alone.
type ClinicalTruth struct {
	// Group is "rls" or "control".
	Group string
	// RLSCriteriaMet: all five IRLSSG 2014 essential criteria answered yes.
	RLSCriteriaMet bool
	// NightsPerWeek and DurationMonths of symptoms.
	NightsPerWeek, DurationMonths float64
	// IRLSTotal is the IRLS total (−1: IRLS not administered).
	IRLSTotal int
	// ESSTotal is the Epworth total.
	ESSTotal int
	// PSQIComponents are the seven PSQI component scores; PSQIGlobal their sum.
	PSQIComponents [7]int
	PSQIGlobal     int
	// JHRLSS is the Johns Hopkins severity score.
	JHRLSS int
	// PLMPerNight is the mean number of periodic leg movements per night
	// over the synthetic PSG nights.
	PLMPerNight float64
	// Dopaminergic: on a dopamine agonist or levodopa.
	Dopaminergic bool
	// Augmentation: MPI augmentation criteria met (only when Dopaminergic).
	Augmentation bool
	// Eligible is the designed screening outcome under the study protocol.
	Eligible bool
}

// ClinicalMedication is one synthetic medication record.
type ClinicalMedication struct {
	Drug      string
	DailyDose float64
	DoseUnit  string
	Start     time.Time
}

// ClinicalParticipant is one synthetic participant: demographic fields,
// questionnaire answers (column → response code, the column names of
// package clinical), medications, PLM counts per PSG night, and the truth.
type ClinicalParticipant struct {
	ID          string
	Age         int
	Sex         string
	Answers     map[string]string
	Medications []ClinicalMedication
	// PLMCounts holds the periodic leg movement count of each PSG night.
	PLMCounts []int
	Truth     ClinicalTruth
}

// ClinicalOptions shape a synthetic clinical cohort.
type ClinicalOptions struct {
	// RLS and Controls are the group sizes (the study: 28 and 20).
	RLS, Controls int
	// ScreenFailures adds this many RLS participants built to fail the
	// study's inclusion rules (symptoms on fewer than 6 nights a week, or
	// fewer than 20 PLM a night), numbered after the others.
	ScreenFailures int
	// Nights is the number of PSG nights (the study: 2).
	Nights int
}

// ClinicalCohort makes a reproducible cohort in the shape of the study:
// RLS patients (IRLSSG criteria met, symptoms 6–7 nights a week for at least
// 6 months, at least 20 PLM a night, moderate to very severe IRLS, poor
// sleep) and controls (criteria not met, few PLM). About a third of the
// patients take a dopamine agonist and some of those meet the MPI
// augmentation criteria. IDs are sub-01, sub-02, … (patients first).
func ClinicalCohort(seed int64, opt ClinicalOptions) []ClinicalParticipant {
	if opt.Nights <= 0 {
		opt.Nights = 2
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x636c696e6963616c))
	n := opt.RLS + opt.Controls + opt.ScreenFailures
	out := make([]ClinicalParticipant, 0, n)
	width := 2
	if n >= 100 {
		width = 3
	}
	for i := 0; i < n; i++ {
		group := "rls"
		failure := i >= opt.RLS+opt.Controls
		if i >= opt.RLS && !failure {
			group = "control"
		}
		p := ClinicalParticipant{ID: fmt.Sprintf("sub-%0*d", width, i+1), Age: 40 + rng.IntN(36), Answers: map[string]string{}}
		p.Sex = []string{"F", "M"}[rng.IntN(2)]
		p.Truth.Group = group
		p.Truth.Eligible = !failure
		a := p.Answers
		set := func(col string, v any) { a[col] = fmt.Sprint(v) }
		if group == "rls" {
			p.Truth.RLSCriteriaMet = true
			for c := 1; c <= 5; c++ {
				set(fmt.Sprintf("irlssg_c%d", c), 1)
			}
			p.Truth.NightsPerWeek = float64(6 + rng.IntN(2))
			p.Truth.DurationMonths = float64(12 + rng.IntN(229))
			set("rls_significance", 1)
			// IRLS total: moderate to very severe.
			p.Truth.IRLSTotal = 14 + rng.IntN(20)
			for k, v := range clinSpread(rng, p.Truth.IRLSTotal, 10, 4) {
				set(fmt.Sprintf("irls_%02d", k+1), v)
			}
			p.Truth.JHRLSS = 1 + rng.IntN(3)
			bed := 22*60 + rng.IntN(90)
			var onset int
			switch p.Truth.JHRLSS {
			case 1:
				onset = bed - 60 + rng.IntN(60)
			case 2:
				onset = 18*60 + rng.IntN(bed-60-18*60)
			case 3:
				onset = 12*60 + rng.IntN(6*60)
			}
			set("jhrlss_symptoms", 1)
			set("jhrlss_onset", clinClock(onset))
			set("jhrlss_bedtime", clinClock(bed))
			for k := 1; k <= 6; k++ {
				set(fmt.Sprintf("rls6_%02d", k), 3+rng.IntN(7))
			}
			perNight := 25 + rng.Float64()*300
			if rng.IntN(3) == 0 {
				drug, dose := "pramipexole", []float64{0.125, 0.25, 0.5}[rng.IntN(3)]
				if rng.IntN(2) == 0 {
					drug, dose = "ropinirole", []float64{0.5, 1, 2}[rng.IntN(3)]
				}
				start := time.Date(2008+rng.IntN(4), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
				p.Medications = append(p.Medications, ClinicalMedication{Drug: drug, DailyDose: dose, DoseUnit: "mg", Start: start})
				p.Truth.Dopaminergic = true
				p.Truth.Augmentation = rng.IntN(3) == 0
				set("aug_a2", 1)
				set("aug_a3", 1)
				if p.Truth.Augmentation {
					set("aug_a1", 1)
					if rng.IntN(2) == 0 {
						set("aug_b", 1)
						set("aug_onset_advance_h", 1)
					} else {
						set("aug_b", 0)
						set("aug_onset_advance_h", 2+rng.IntN(2))
						set("aug_c2b", 1)
					}
				} else {
					set("aug_a1", 0)
					set("aug_b", 0)
					set("aug_onset_advance_h", 0)
				}
			}
			if failure {
				if i%2 == 0 {
					p.Truth.NightsPerWeek = float64(2 + rng.IntN(3))
				} else {
					perNight = 2 + rng.Float64()*12
				}
			}
			p.PLMCounts = clinNightCounts(rng, perNight, opt.Nights)
			p.Truth.ESSTotal = 4 + rng.IntN(12)
			clinPSQI(rng, p.Answers, &p.Truth, 1)
		} else {
			for c := 1; c <= 5; c++ {
				set(fmt.Sprintf("irlssg_c%d", c), 0)
			}
			// some controls report one isolated feature
			if rng.IntN(4) == 0 {
				set(fmt.Sprintf("irlssg_c%d", 2+rng.IntN(3)), 1)
			}
			p.Truth.NightsPerWeek, p.Truth.DurationMonths = 0, 0
			set("rls_significance", 0)
			p.Truth.IRLSTotal = -1
			set("jhrlss_symptoms", 0)
			p.Truth.JHRLSS = 0
			p.PLMCounts = clinNightCounts(rng, rng.Float64()*15, opt.Nights)
			p.Truth.ESSTotal = rng.IntN(10)
			clinPSQI(rng, p.Answers, &p.Truth, 0)
		}
		set("rls_nights_per_week", p.Truth.NightsPerWeek)
		set("rls_duration_months", p.Truth.DurationMonths)
		for k, v := range clinSpread(rng, p.Truth.ESSTotal, 8, 3) {
			set(fmt.Sprintf("ess_%02d", k+1), v)
		}
		s := 0.0
		for _, c := range p.PLMCounts {
			s += float64(c)
		}
		p.Truth.PLMPerNight = s / float64(len(p.PLMCounts))
		out = append(out, p)
	}
	return out
}

func clinNightCounts(rng *rand.Rand, mean float64, nights int) []int {
	c := make([]int, nights)
	for k := range c {
		c[k] = int(mean*(0.8+0.4*rng.Float64()) + 0.5)
	}
	// keep the designed mean on the right side of 20 PLM per night
	s := 0
	for _, x := range c {
		s += x
	}
	for mean >= 20 && float64(s)/float64(nights) < 20 {
		c[0]++
		s++
	}
	for mean < 20 && float64(s)/float64(nights) >= 20 {
		c[0]--
		s--
	}
	return c
}

// clinSpread distributes total points over n items of at most max each.
func clinSpread(rng *rand.Rand, total, n, max int) []int {
	items := make([]int, n)
	for left := total; left > 0; {
		k := rng.IntN(n)
		if items[k] < max {
			items[k]++
			left--
		}
	}
	return items
}

func clinClock(min int) string {
	min = ((min % 1440) + 1440) % 1440
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

// clinPSQI chooses the seven component scores (worse for patients, poor = 1)
// and derives answers that give them.
func clinPSQI(rng *rand.Rand, a map[string]string, t *ClinicalTruth, poor int) {
	var c [7]int
	for k := range c {
		c[k] = rng.IntN(2) + poor*rng.IntN(3)
		if c[k] > 3 {
			c[k] = 3
		}
	}
	t.PSQIComponents = c
	t.PSQIGlobal = 0
	for _, x := range c {
		t.PSQIGlobal += x
	}
	set := func(col string, v any) { a[col] = fmt.Sprint(v) }
	set("psqi_06", c[0])
	// component 2: latency score + 5a, banded
	sum := [4][2]int{{0, 0}, {1, 2}, {3, 4}, {5, 6}}[c[1]]
	s := sum[0] + rng.IntN(sum[1]-sum[0]+1)
	lat := rng.IntN(4)
	for lat > s || s-lat > 3 {
		lat = rng.IntN(4)
	}
	set("psqi_05a", s-lat)
	minutes := [4][2]int{{2, 15}, {16, 30}, {31, 60}, {61, 120}}[lat]
	set("psqi_02", minutes[0]+rng.IntN(minutes[1]-minutes[0]+1))
	// component 3: hours in half hours
	hrs := [4][]float64{{7.5, 8, 8.5, 9}, {6, 6.5, 7}, {5, 5.5}, {3.5, 4, 4.5}}[c[2]]
	h := hrs[rng.IntN(len(hrs))]
	set("psqi_04", h)
	// component 4: efficiency chosen well inside its band
	eff := [4][2]float64{{87, 98}, {77, 83}, {67, 73}, {50, 62}}[c[3]]
	e := eff[0] + rng.Float64()*(eff[1]-eff[0])
	tib := int(h*60*100/e + 0.5)
	bed := 21*60 + rng.IntN(150)
	set("psqi_01", clinClock(bed))
	set("psqi_03", clinClock(bed+tib))
	// component 5: disturbance sum over 5b–5i (5j unanswered or described)
	band := [4][2]int{{0, 0}, {1, 9}, {10, 18}, {19, 24}}[c[4]]
	ds := band[0] + rng.IntN(band[1]-band[0]+1)
	for k, v := range clinSpread(rng, ds, 8, 3) {
		set(fmt.Sprintf("psqi_05%c", 'b'+k), v)
	}
	set("psqi_07", c[5])
	day := [4][2]int{{0, 0}, {1, 2}, {3, 4}, {5, 6}}[c[6]]
	ds = day[0] + rng.IntN(day[1]-day[0]+1)
	q8 := rng.IntN(4)
	for q8 > ds || ds-q8 > 3 {
		q8 = rng.IntN(4)
	}
	set("psqi_08", q8)
	set("psqi_09", ds-q8)
}
