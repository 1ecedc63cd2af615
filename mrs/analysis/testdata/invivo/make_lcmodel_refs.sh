#!/bin/sh
# Re-makes the LCModel reference results in lcmodel/ (see README.md).
#
# usage: make_lcmodel_refs.sh GLUSLEEP LCMODEL WORKDIR [OSPREY_BASIS]
#
#   GLUSLEEP      a glusleep binary (go build -o glusleep ./cmd/glusleep)
#   LCMODEL       LCModel 6.3-1N (binaries/linux/lcmodel.xz of
#                 github.com/schorschinho/LCModel @ c9d95ff, unpacked)
#   WORKDIR       scratch folder for the converted data, the simulated
#                 bases (2–3 MB each) and LCModel's .ps plots
#   OSPREY_BASIS  optional: Osprey's fit/basissets/3T/philips/unedited/press/
#                 35/3T_PRESS_Philips_35ms_noMM.BASIS (schorschinho/osprey @
#                 5cbf75c); when given, the two TE 35 ms spectra are also
#                 fitted with it (lcmodel/*_ospreybasis.*)
#
# Run from this folder with a relative WORKDIR (the control files name
# it), e.g. `sh make_lcmodel_refs.sh ./glusleep ./lcmodel work`.
# Writes lcmodel/<id>.control, .table and .csv.
set -eu
G=$1
L=$2
W=$3
OB=${4:-}
mkdir -p "$W" lcmodel
if [ -n "$OB" ]; then
	cp "$OB" "$W/osprey_press35.BASIS"
fi

# id  input file  TE (ms)
while read -r id in te; do
	case $id in '#'* | '') continue ;; esac
	"$G" mrs convert "$in" "$W/$id.RAW"
	"$G" mrs basis --like "$in" --names lcmodel --out "$W/$id.BASIS"
	# frequency and dwell as glusleep read them (the basis was simulated
	# for this file and its header holds them); points: the data lines
	# after the RAW file's last $END.
	set -- $(awk -F= '/HZPPPM/ {gsub(/[ ,]/,"",$2); h=$2} /BADELT/ {gsub(/[ ,]/,"",$2); d=$2} END {print h, d}' "$W/$id.BASIS")
	hz=$1
	dt=$2
	n=$(awk '/\$END/ {c = 0; next} {c++} END {print c}' "$W/$id.RAW")
	run() { # $1 output stem, $2 basis file, $3 title
		cat >"lcmodel/$1.control" <<EOF
 \$LCMODL
 title='$3'
 key=210387309
 nunfil=$n
 deltat=$dt
 hzpppm=$hz
 echot=$te
 filbas='$2'
 filraw='$W/$id.RAW'
 filps='$W/$1.ps'
 ltable=7
 filtab='lcmodel/$1.table'
 lcsv=11
 filcsv='lcmodel/$1.csv'
 \$END
EOF
		"$L" <"lcmodel/$1.control"
	}
	run "$id" "$W/$id.BASIS" "$id, glusleep basis, LCModel defaults"
	if [ -n "$OB" ] && [ "$te" = 35 ]; then
		run "${id}_ospreybasis" "$W/osprey_press35.BASIS" "$id, Osprey Philips PRESS 35 basis, LCModel defaults"
	fi
done <<EOF
osprey-press35-sub01 osprey/sub-01_PRESS_35_act.sdat 35
osprey-press35-sub02 osprey/sub-02_PRESS_35_act.sdat 35
osprey-press30-sub01 osprey/sub-01_ses-01_PRESS_raw-act_noID.SDAT 30
osprey-press30-sub02 osprey/sub-02_ses-01_PRESS_raw-act_noID.SDAT 30
suspect-svs30 suspect/SVS_30.rda 30
tarquin-siemens2000 tarquin/Siemens_2000.RAW 30
EOF
