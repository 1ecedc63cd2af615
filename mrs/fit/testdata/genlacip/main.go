// Command genlacip writes the LCModel basis used for
// ge_phantom_lcmodel_lacip.tsv: glusleep's simulated basis for the GE
// phantom's header (PRESS TE1 = TE2 = 15 ms, 63.872622 MHz, 2048 points,
// dwell 0.4 ms; the 20 metabolites of sim.Metabolites with LCModel's names,
// as `glusleep mrs basis --like P1751_1.5T_030_2000.7` writes them), plus
// LacIP: lactate simulated without J evolution (pulse-acquire), as
// fit.ForPhantom adds it.
//
//	go run ./mrs/fit/testdata/genlacip ge15_te30_lacip.BASIS
package main

import (
	"fmt"
	"os"

	"glusleep/mrs"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/naming"
	"glusleep/mrs/sim"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genlacip OUT.BASIS")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "genlacip:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	const mhz, dwell, n = 63.872622, 0.0004, 2048
	var names []string
	for _, m := range sim.Metabolites {
		names = append(names, m.Name)
	}
	q := sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}
	names, fids, err := sim.Basis(q, mhz, dwell, n, names)
	if err != nil {
		return err
	}
	for i, nm := range names {
		names[i] = naming.Name(nm, naming.NamesLCModel)
	}
	lac, _ := sim.Lookup("Lac")
	ip, err := sim.FID(lac, sim.Sequence{Kind: "pulse-acquire"}, mhz, dwell, n, 0)
	if err != nil {
		return err
	}
	names, fids = append(names, "LacIP"), append(fids, ip)
	p := mrs.Params{SpectrometerFrequency: mhz, Dwell: dwell, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H"}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := lcmodel.WriteBasis(f, "glusleep PRESS TE 30 + LacIP", p, names, fids); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
