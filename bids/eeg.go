package bids

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"glusleep/internal/tsv"
	"glusleep/psg/edf"
)

// EEGOptions are the facts of an EEG recording that its EDF/BDF header
// does not hold.
type EEGOptions struct {
	// TaskName is the task label (the task- entity's value), e.g. "sleep".
	TaskName string
	// TaskDescription describes the task.
	TaskDescription string
	// PowerLineFrequency is the mains frequency in Hz (50 or 60); 0 writes
	// "n/a" (unknown), which BIDS allows.
	PowerLineFrequency float64
	// EEGReference describes the reference; empty derives it from the
	// channel labels ("C3-M2" is referenced to M2) when every EEG channel
	// has the same reference, else says the references are per channel.
	EEGReference string
	// EEGGround is the ground electrode's place.
	EEGGround string
	// EEGPlacementScheme is the electrode placement, e.g. "10-20".
	EEGPlacementScheme string
	// Manufacturer and ManufacturersModelName of the amplifier.
	Manufacturer, ManufacturersModelName string
	// InstitutionName of the recording site.
	InstitutionName string
}

// EEGSidecar is the _eeg.json of a BIDS-EEG recording.
type EEGSidecar struct {
	// TaskName is the task label, as in the file name's task- entity.
	TaskName string `json:"TaskName"`
	// TaskDescription describes the task.
	TaskDescription string `json:"TaskDescription,omitempty"`
	// SamplingFrequency is the main sampling rate in Hz (other rates are
	// in channels.tsv).
	SamplingFrequency float64 `json:"SamplingFrequency"`
	// PowerLineFrequency is in Hz, or the string "n/a".
	PowerLineFrequency any `json:"PowerLineFrequency"`
	// SoftwareFilters is "n/a" (the stored data are unfiltered by
	// software) or an object of filter names to parameters.
	SoftwareFilters any `json:"SoftwareFilters"`
	// EEGReference describes the EEG reference electrode(s).
	EEGReference string `json:"EEGReference"`
	// EEGGround is the ground electrode's place.
	EEGGround string `json:"EEGGround,omitempty"`
	// EEGPlacementScheme is e.g. "10-20".
	EEGPlacementScheme string `json:"EEGPlacementScheme,omitempty"`
	// Manufacturer and ManufacturersModelName of the amplifier.
	Manufacturer           string `json:"Manufacturer,omitempty"`
	ManufacturersModelName string `json:"ManufacturersModelName,omitempty"`
	// InstitutionName of the recording site.
	InstitutionName string `json:"InstitutionName,omitempty"`
	// Channel counts by BIDS channel type. MISCChannelCount is written
	// only when non-zero: BIDS 1.10 spells it so, while bids-validator 1.x
	// knows only the older MiscChannelCount and rejects the new key.
	EEGChannelCount     int `json:"EEGChannelCount"`
	EOGChannelCount     int `json:"EOGChannelCount"`
	ECGChannelCount     int `json:"ECGChannelCount"`
	EMGChannelCount     int `json:"EMGChannelCount"`
	MISCChannelCount    int `json:"MISCChannelCount,omitempty"`
	TriggerChannelCount int `json:"TriggerChannelCount"`
	// RecordingDuration is the length of the recording in s.
	RecordingDuration float64 `json:"RecordingDuration"`
	// RecordingType is "continuous" or "discontinuous" (EDF+D).
	RecordingType string `json:"RecordingType"`
}

// Channel is one row of a _channels.tsv.
type Channel struct {
	// Name is the channel label as in the data file.
	Name string
	// Type is a BIDS channel type (EEG, EOG, ECG, EMG, RESP, TEMP, MISC, ...).
	Type string
	// Units of the channel's values, e.g. "µV".
	Units string
	// SamplingFrequency in Hz.
	SamplingFrequency float64
	// LowCutoff, HighCutoff and Notch are filter frequencies in Hz; NaN
	// when not stated.
	LowCutoff, HighCutoff, Notch float64
	// Reference is the channel's reference electrode, or "".
	Reference string
	// Description is the sensor (the EDF transducer field), or "".
	Description string
}

var (
	// EDF+ signal-type prefixes (Kemp & Olivan 2003, "standard texts").
	edfTypes = map[string]string{
		"EEG": "EEG", "EOG": "EOG", "ECG": "ECG", "EKG": "ECG", "EMG": "EMG",
		"RESP": "RESP", "TEMP": "TEMP", "MEG": "MEGOTHER", "MISC": "MISC", "POS": "MISC",
		"SAO2": "MISC", "SPO2": "MISC", "PPG": "PPG", "TRIG": "TRIG", "EVENT": "TRIG", "STATUS": "TRIG",
		"LIGHT": "MISC", "SOUND": "MISC", "HR": "MISC", "PULSE": "PPG", "GSR": "GSR",
	}
	// Polysomnography names without an EDF+ type prefix.
	psgNames = []struct {
		re  *regexp.Regexp
		typ string
	}{
		{regexp.MustCompile(`(?i)^(loc|roc|e1|e2|eog.*|[lr]-?eog)([-_ ].*)?$`), "EOG"},
		{regexp.MustCompile(`(?i)^(chin.*|emg.*|lat|rat|l-?leg.*|r-?leg.*|leg.*|tib.*|submental.*)([-_ ].*)?$`), "EMG"},
		{regexp.MustCompile(`(?i)^(ecg|ekg).*$`), "ECG"},
		{regexp.MustCompile(`(?i)^(airflow|flow|nasal.*|thor.*|abd.*|chest|belt.*|resp.*|snore|pressure|ptaf|therm.*)$`), "RESP"},
		{regexp.MustCompile(`(?i)^(sao2|spo2|spo₂|pleth|pulse|hr|heart ?rate|position|pos|light|lux)$`), "MISC"},
		{regexp.MustCompile(`(?i)^(fp[z12]|af[z3-8]|f[z1-8]|ft[z7-9]|fc[z1-6]|t[3-8]|c[z1-6]|tp[z7-9]|cp[z1-6]|p[z1-8]|po[z3-8]|o[z12]|a[12]|m[12]|cz|pz|fz|oz)([-_ ].*)?$`), "EEG"},
	}
)

// ChannelType returns the BIDS channel type of an EDF/BDF signal from its
// label (EDF+ "EEG C3-M2" style type prefixes first, then common
// polysomnography names such as "LOC", "Chin", "C3-M2"); MISC when unknown.
func ChannelType(label string) string {
	l := strings.TrimSpace(label)
	if i := strings.IndexByte(l, ' '); i > 0 {
		if t, ok := edfTypes[strings.ToUpper(l[:i])]; ok {
			return t
		}
	}
	if t, ok := edfTypes[strings.ToUpper(l)]; ok {
		return t
	}
	for _, p := range psgNames {
		if p.re.MatchString(l) {
			return p.typ
		}
	}
	return "MISC"
}

// channelReference returns the reference of a derivation label such as
// "EEG C3-M2" or "C3-A2" ("M2", "A2"), or "".
func channelReference(label string) string {
	l := strings.TrimSpace(label)
	if i := strings.IndexByte(l, ' '); i > 0 {
		l = l[i+1:]
	}
	parts := strings.Split(l, "-")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return strings.TrimSpace(parts[1])
}

// units returns the BIDS spelling of an EDF physical dimension ("uV" →
// "µV"); an empty dimension gives "n/a".
func units(dim string) string {
	d := strings.TrimSpace(dim)
	switch {
	case d == "":
		return "n/a"
	case strings.HasPrefix(d, "u") && len(d) > 1:
		return "µ" + d[1:]
	case strings.HasPrefix(d, "μ"): // Greek mu
		return "µ" + strings.TrimPrefix(d, "μ")
	}
	return d
}

var reFilter = regexp.MustCompile(`(?i)\b(HP|LP|N|NOTCH)\s*:\s*([0-9]*\.?[0-9]+)\s*(k?Hz)?`)

// parsePrefilter reads an EDF prefilter field ("HP:0.3Hz LP:35Hz N:50Hz")
// into low cutoff, high cutoff and notch in Hz (NaN when absent; "HP:DC"
// and other text are not numbers and stay NaN).
func parsePrefilter(s string) (low, high, notch float64) {
	low, high, notch = math.NaN(), math.NaN(), math.NaN()
	for _, m := range reFilter.FindAllStringSubmatch(s, -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		if strings.EqualFold(m[3], "kHz") {
			v *= 1000
		}
		switch strings.ToUpper(m[1]) {
		case "HP":
			low = v
		case "LP":
			high = v
		default:
			notch = v
		}
	}
	return low, high, notch
}

// EEGFromEDF builds the _eeg.json and the _channels.tsv rows of a
// recording from its EDF/BDF header (annotation signals are left out).
func EEGFromEDF(h *edf.Header, opt EEGOptions) (EEGSidecar, []Channel, error) {
	if strings.TrimSpace(opt.TaskName) == "" {
		return EEGSidecar{}, nil, fmt.Errorf("eeg sidecar: TaskName is required")
	}
	if opt.PowerLineFrequency < 0 || math.IsNaN(opt.PowerLineFrequency) || math.IsInf(opt.PowerLineFrequency, 0) {
		return EEGSidecar{}, nil, fmt.Errorf("eeg sidecar: power line frequency %g Hz, want > 0 (or 0 for unknown)", opt.PowerLineFrequency)
	}
	if h.RecordDuration <= 0 {
		return EEGSidecar{}, nil, fmt.Errorf("eeg sidecar: record duration %g s, want > 0 (an annotation-only file has no channels)", h.RecordDuration)
	}
	s := EEGSidecar{TaskName: opt.TaskName, TaskDescription: opt.TaskDescription, PowerLineFrequency: "n/a",
		SoftwareFilters: "n/a", EEGReference: opt.EEGReference, EEGGround: opt.EEGGround, EEGPlacementScheme: opt.EEGPlacementScheme,
		Manufacturer: opt.Manufacturer, ManufacturersModelName: opt.ManufacturersModelName, InstitutionName: opt.InstitutionName,
		RecordingDuration: h.Duration(), RecordingType: "continuous"}
	if opt.PowerLineFrequency > 0 {
		s.PowerLineFrequency = opt.PowerLineFrequency
	}
	if h.Format == edf.EDFPlusD {
		s.RecordingType = "discontinuous"
	}
	var chans []Channel
	rates := map[float64]int{}
	refs := map[string]bool{}
	for _, sig := range h.Signals {
		if sig.IsAnnotation() {
			continue
		}
		c := Channel{Name: strings.TrimSpace(sig.Label), Type: ChannelType(sig.Label), Units: units(sig.Dimension),
			SamplingFrequency: sig.Rate(h.RecordDuration), Description: strings.TrimSpace(sig.Transducer)}
		c.LowCutoff, c.HighCutoff, c.Notch = parsePrefilter(sig.Prefilter)
		if c.Type == "EEG" || c.Type == "EOG" || c.Type == "EMG" {
			c.Reference = channelReference(sig.Label)
		}
		switch c.Type {
		case "EEG":
			s.EEGChannelCount++
			rates[c.SamplingFrequency]++
			refs[c.Reference] = true
		case "EOG":
			s.EOGChannelCount++
		case "ECG":
			s.ECGChannelCount++
		case "EMG":
			s.EMGChannelCount++
		case "TRIG":
			s.TriggerChannelCount++
		default:
			s.MISCChannelCount++
		}
		chans = append(chans, c)
	}
	if len(chans) == 0 {
		return EEGSidecar{}, nil, fmt.Errorf("eeg sidecar: the recording has no data signals")
	}
	if len(rates) == 0 { // no EEG channel: the rate of all channels
		for _, c := range chans {
			rates[c.SamplingFrequency]++
		}
	}
	s.SamplingFrequency = mostCommon(rates)
	if s.EEGReference == "" {
		s.EEGReference = "see the reference column of channels.tsv"
		if len(refs) == 1 {
			for r := range refs {
				if r != "" {
					s.EEGReference = r
				}
			}
		}
	}
	return s, chans, nil
}

// mostCommon returns the most frequent key, the highest on ties.
func mostCommon(n map[float64]int) float64 {
	keys := make([]float64, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Float64s(keys)
	best := keys[len(keys)-1]
	for _, k := range keys {
		if n[k] > n[best] {
			best = k
		}
	}
	return best
}

// WriteChannelsTSV writes a _channels.tsv: name, type, units (required
// first), then description, sampling_frequency, reference, low_cutoff,
// high_cutoff and notch; unknown values are n/a.
func WriteChannelsTSV(w io.Writer, chans []Channel) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "name\ttype\tunits\tdescription\tsampling_frequency\treference\tlow_cutoff\thigh_cutoff\tnotch")
	for _, c := range chans {
		if c.Name == "" || strings.ContainsAny(c.Name, "\t\n\r") {
			return fmt.Errorf("channels.tsv: channel name %q, want non-empty text without tabs or line breaks", c.Name)
		}
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Type, tsv.Text(c.Units), tsv.Text(c.Description),
			tsv.Fixed(c.SamplingFrequency, -1), tsv.Text(c.Reference), tsv.Fixed(c.LowCutoff, -1), tsv.Fixed(c.HighCutoff, -1), tsv.Fixed(c.Notch, -1))
	}
	return bw.Flush()
}
