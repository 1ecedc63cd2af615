package annot

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// emblaEvent is one Events/Event of an Embla EventExport XML.
type emblaEvent struct {
	Type      string `xml:"Type"`
	Location  string `xml:"Location"`
	StartTime string `xml:"StartTime"`
	StopTime  string `xml:"StopTime"`
}

type emblaDoc struct {
	Events []emblaEvent `xml:"Events>Event"`
}

// ReadEmblaXML reads a native Embla (RemLogic/Embletta) EventExport XML:
// Events/Event elements with a Type (SLEEP-S0 … SLEEP-REM for stages;
// APNEA-*, HYPOPNEA*, RESP-RERA, AROUSAL*, PLM*, LIGHTS-OFF/ON, …) and
// StartTime/StopTime clock times. Times are made relative to opt.Origin
// (the recording start, e.g. the EDF header's) or, when it is zero, to the
// earliest event. The PatientInfo element is not read.
func ReadEmblaXML(r io.Reader, opt Options) (*Hypnogram, error) {
	h, err := readXML(r, opt)
	if err != nil {
		return nil, err
	}
	if h.Dialect != DialectEmbla {
		return nil, fmt.Errorf("XML is %s, not %s", h.Dialect, DialectEmbla)
	}
	return h, nil
}

// emblaClock parses an Embla clock time ("2010-01-26T22:42:30.000000").
func emblaClock(s string) (time.Time, error) {
	return time.Parse("2006-01-02T15:04:05.999999999", strings.TrimSpace(s))
}

func decodeEmbla(dec *xml.Decoder, se xml.StartElement, opt Options) (*Hypnogram, error) {
	var doc emblaDoc
	if err := dec.DecodeElement(&doc, &se); err != nil {
		return nil, fmt.Errorf("Embla XML: %w", err)
	}
	type timed struct {
		ev          emblaEvent
		start, stop time.Time
	}
	evs := make([]timed, 0, len(doc.Events))
	origin := opt.Origin
	for i, e := range doc.Events {
		t0, err := emblaClock(e.StartTime)
		if err != nil {
			return nil, fmt.Errorf("Embla XML: Event %d (%s): StartTime %q, want yyyy-mm-ddThh:mm:ss.ffffff", i+1, e.Type, e.StartTime)
		}
		t1 := t0
		if strings.TrimSpace(e.StopTime) != "" {
			if t1, err = emblaClock(e.StopTime); err != nil {
				return nil, fmt.Errorf("Embla XML: Event %d (%s): StopTime %q, want yyyy-mm-ddThh:mm:ss.ffffff", i+1, e.Type, e.StopTime)
			}
		}
		if t1.Before(t0) {
			return nil, fmt.Errorf("Embla XML: Event %d (%s) stops (%s) before it starts (%s)", i+1, e.Type, e.StopTime, e.StartTime)
		}
		if opt.Origin.IsZero() && (origin.IsZero() || t0.Before(origin)) {
			origin = t0
		}
		evs = append(evs, timed{e, t0, t1})
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("Embla XML: no Events/Event elements")
	}
	sec := func(t time.Time) float64 {
		return math.Round(t.Sub(origin).Seconds()*1e6) / 1e6
	}
	var spans []Span
	var events []Event
	for i, e := range evs {
		on, dur := sec(e.start), e.stop.Sub(e.start).Seconds()
		typ := strings.TrimSpace(e.ev.Type)
		if strings.HasPrefix(strings.ToUpper(typ), "SLEEP-") {
			st, err := opt.stage(typ)
			if err != nil {
				return nil, fmt.Errorf("Embla XML: Event %d: %w", i+1, err)
			}
			spans = append(spans, Span{on, math.Round(dur*1e6) / 1e6, st})
			continue
		}
		events = append(events, Event{Onset: on, Duration: dur, Kind: ClassifyEvent(typ), Label: typ})
	}
	return fromScoring(spans, events, opt.epoch(), DialectEmbla, "Embla XML")
}
