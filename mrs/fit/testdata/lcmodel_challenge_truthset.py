#!/usr/bin/python3
"""Columns of lcmodel_challenge_truthset.tsv from LCModel's datasetN.csv and
datasetN.table (N = 1..21) in the current directory."""
import csv, re
cols = [('Glu', 'Glu'), ('Glu_Gln', 'Glu+Gln'), ('NAA_NAAG', 'NAA+NAAG'), ('Ins', 'Ins'),
        ('Cr_PCr', 'Cr+PCr'), ('Cr', 'Cr'), ('PCr', 'PCr'), ('GSH', 'GSH'), ('GSH_crlb', 'GSH %SD')]
print('\t'.join(['dataset'] + [c for c, _ in cols] + ['Ph0', 'Ph1']))
for n in range(1, 22):
    rows = list(csv.reader(open(f'dataset{n}.csv')))
    hdr = [h.strip() for h in rows[0]]
    val = [v.strip() for v in rows[1]]
    d = dict(zip(hdr, val))
    m = re.search(r'Ph:\s*(-?[\d.]+) deg\s+(-?[\d.]+) deg/ppm', open(f'dataset{n}.table').read())
    print('\t'.join([f'dataset{n}'] + [d[k] for _, k in cols] + [m.group(1), m.group(2)]))
