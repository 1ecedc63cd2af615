package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"glusleep/internal/cli"
	"glusleep/mrs/format/mrsio"
)

func init() {
	register(&command{path: "mrs info", usage: "mrs info FILE [--json] [--keep-phi] [--dwell S --spectrometer-frequency MHZ --te MS]",
		summary: "an MRS file's format, dimensions and acquisition parameters (identifying fields hidden unless --keep-phi)", run: runMRSInfo})
	register(&command{path: "mrs convert", usage: "mrs convert IN OUT.nii.gz|OUT.nii|OUT.RAW|OUT.txt [--keep-phi] [--dwell S --spectrometer-frequency MHZ --te MS]",
		summary: "convert an MRS file (any format read) to NIfTI-MRS, LCModel .RAW or jMRUI text; the water reference goes beside it", run: runMRSConvert})
}

// provenance is how glusleep marks the MRS data it writes from file in.
func provenance(in string, keepPHI bool) mrsio.Provenance {
	return mrsio.Provenance{Converter: "glusleep " + version, Original: in, KeepPHI: keepPHI}
}

func runMRSInfo(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs info")
	var acq cli.Acquisition
	acq.AddRead(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	phi := fs.Bool("keep-phi", false, "also print identifying fields (everything but the acquisition fields: names, IDs, dates, institution, serial numbers, free text)")
	cli.Alias(fs, "phi", "keep-phi")
	pos, err := cli.ParseN(fs, args, 1, "need one FILE")
	if err != nil {
		return err
	}
	ds, err := mrsio.Read(pos[0], acq.ReadOptions())
	if err != nil {
		return err
	}
	info := mrsio.Describe(pos[0], ds, *phi)
	if !*asJSON {
		return info.WriteText(env.stdout, "--keep-phi")
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.stdout, "%s\n", b)
	return err
}

func runMRSConvert(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs convert")
	var acq cli.Acquisition
	acq.AddRead(fs)
	keep := fs.Bool("keep-phi", false, "keep identifying fields (everything but the acquisition fields) in the output")
	pos, err := cli.ParseN(fs, args, 2, "need IN and OUT")
	if err != nil {
		return err
	}
	c, err := mrsio.Convert(pos[0], pos[1], acq.ReadOptions(), provenance(pos[0], *keep))
	if err != nil {
		return cli.UsageIf(err, mrsio.ErrOutputFormat, mrsio.ErrWaterDropped)
	}
	fmt.Fprintf(env.stdout, "%s → %s (%s, %d FID(s) of %d points)\n", filepath.Base(pos[0]), c.Out, c.Format, len(c.Data.FIDs), c.Data.Points())
	if c.WaterOut != "" {
		fmt.Fprintf(env.stdout, "water reference (%s) → %s\n", c.WaterFrom, c.WaterOut)
	}
	return nil
}
