package bids

import (
	"fmt"
	"sort"
	"strings"
)

// Sleep stage codes of the events' stage column (AASM, with R&K's and
// glusleep's extra codes) and what they mean.
var stageLevels = map[string]string{
	"W":  "wake",
	"N1": "NREM sleep stage N1",
	"N2": "NREM sleep stage N2",
	"N3": "NREM sleep stage N3 (slow-wave sleep)",
	"R":  "REM sleep",
	"S3": "NREM stage 3 (Rechtschaffen and Kales)",
	"S4": "NREM stage 4 (Rechtschaffen and Kales)",
	"MT": "movement time",
	"?":  "epoch not scored (unknown stage)",
}

// eventKinds describe common scored-event labels of trial_type by a
// lower-case substring, most specific first.
var eventKinds = []struct{ sub, desc string }{
	{"sleep_stage", "a scored epoch; its sleep stage is in the stage column"},
	{"leg movement left", "leg movement of the left leg (anterior tibialis EMG), as scored"},
	{"leg movement right", "leg movement of the right leg (anterior tibialis EMG), as scored"},
	{"leg movement", "leg movement (anterior tibialis EMG), as scored"},
	{"obstructive apnea", "obstructive apnea, as scored"},
	{"central apnea", "central apnea, as scored"},
	{"mixed apnea", "mixed apnea, as scored"},
	{"apnea", "apnea, as scored"},
	{"hypopnea", "hypopnea, as scored"},
	{"desaturation", "oxygen desaturation, as scored"},
	{"arousal", "arousal, as scored"},
	{"lights off", "lights off: start of the time in bed"},
	{"lights on", "lights on: end of the time in bed"},
}

// eventColumns describes the columns an events table of a scored night
// may hold; trial_type's and stage's levels are added from the data.
var eventColumns = map[string]Column{
	"onset":         {Description: "onset of the event from the start of the recording", Units: "s"},
	"duration":      {Description: "duration of the event (an epoch's length for sleep stages)", Units: "s"},
	"trial_type":    {Description: "kind of event: a scored sleep-stage epoch or a scored event, by its label"},
	"stage":         {Description: "sleep stage of a scored epoch (AASM codes); n/a for rows that are not epochs"},
	"value":         {Description: "value of the event (e.g. a marker code)"},
	"sample":        {Description: "onset of the event as a sample index of the recording (first sample 0)"},
	"channel":       {Description: "channels the event concerns (names as in channels.tsv)"},
	"response_time": {Description: "response time", Units: "s"},
}

// EventsColumns builds the JSON data dictionary of an events table from
// its header and rows: every column is described, and the trial_type and
// stage columns get Levels for every value they hold. A column this
// package does not know is an error (its meaning cannot be guessed).
func EventsColumns(header []string, rows [][]string) (map[string]Column, error) {
	out := map[string]Column{}
	for i, h := range header {
		c, ok := eventColumns[h]
		if !ok {
			return nil, fmt.Errorf("events: column %q is not one glusleep can describe; write its _events.json entry yourself", h)
		}
		switch h {
		case "trial_type":
			c.Levels = map[string]string{}
			for _, v := range distinct(rows, i) {
				c.Levels[v] = eventDescription(v)
			}
		case "stage":
			c.Levels = map[string]string{}
			for _, v := range distinct(rows, i) {
				d, ok := stageLevels[v]
				if !ok {
					return nil, fmt.Errorf("events: stage %q is not a sleep stage code (want one of %s)", v, stageCodes())
				}
				c.Levels[v] = d
			}
		}
		out[h] = c
	}
	for _, need := range []string{"onset", "duration"} {
		if _, ok := out[need]; !ok {
			return nil, fmt.Errorf("events: no %s column (BIDS requires onset and duration)", need)
		}
	}
	return out, nil
}

// distinct returns the sorted values of column i other than n/a.
func distinct(rows [][]string, i int) []string {
	seen := map[string]bool{}
	var vs []string
	for _, r := range rows {
		v := r[i]
		if v == "n/a" || seen[v] {
			continue
		}
		seen[v] = true
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}

func eventDescription(label string) string {
	l := strings.ToLower(label)
	for _, k := range eventKinds {
		if strings.Contains(l, k.sub) {
			return k.desc
		}
	}
	return "scored event labelled " + label
}

func stageCodes() string {
	codes := make([]string, 0, len(stageLevels))
	for k := range stageLevels {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}
