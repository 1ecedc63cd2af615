#!/usr/bin/python3
"""Collects LCModel .table files of the GE phantom into a TSV (stdout).

Usage: ge_phantom_lcmodel_tsv.py DIR   (DIR holds P*_1.5T_030_2000.table)
Columns: Cr+PCr concentration (LCModel's arbitrary units) and %SD,
(Lac+LacIP)/(Cr+PCr) as LCModel's table gives it and the %SD of Lac+LacIP, LacIP's share of
Lac+LacIP, "Data shift" (ppm), S/N and FWHM (ppm).
"""
import glob, os, re, sys

def conc(lines, name):
    for l in lines:
        f = l.split()
        if len(f) == 4 and f[3] == name:
            return float(f[0]), float(f[1].rstrip('%')), float(f[2])
    raise SystemExit('%s: no %s' % (name, name))

print('file\ttcr_conc\ttcr_sd_percent\tlac_tcr\tlac_sd_percent\tlacip_share\tdata_shift_ppm\tsnr_lcmodel\tfwhm_ppm')
for path in sorted(glob.glob(os.path.join(sys.argv[1], 'P*.table'))):
    lines = open(path).read().split('\n')
    text = '\n'.join(lines)
    tcr, tcr_sd, _ = conc(lines, 'Cr+PCr')
    lac, lac_sd, ratio = conc(lines, 'Lac+LacIP')
    ip, _, _ = conc(lines, 'LacIP')
    shift = float(re.search(r'Data shift =\s*(\S+) ppm', text).group(1))
    m = re.search(r'FWHM =\s*(\S+) ppm\s+S/N =\s*(\S+)', text)
    share = ip / lac if lac > 0 else 0.0
    st = os.path.basename(path)[:-len('.table')]
    print('%s\t%.6g\t%g\t%.3f\t%g\t%.3f\t%.3f\t%s\t%s' % (st, tcr, tcr_sd, ratio, lac_sd, share, shift, m.group(2), m.group(1)))
