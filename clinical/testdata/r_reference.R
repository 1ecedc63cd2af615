# Independent scoring of the testdata BIDS phenotype folder in R, written
# from the published rules (not from the Go code):
#   IRLS: sum of 10 items 0-4, NA if any item missing/invalid; bands
#         0 none, 1-10 mild, 11-20 moderate, 21-30 severe, 31-40 very severe.
#   ESS:  sum of 8 items 0-3, NA if any missing/invalid.
#   PSQI: Buysse et al. 1989 components with the Pittsburgh instructions
#         (range answers -> midpoint; 5j = 0 unless both frequency and
#         description are given; global NA if any component NA).
#   JHRLSS: 0 no symptoms; onset before 18:00 -> 3; onset within the hour
#         before bedtime or later -> 1; otherwise 2 (times before 06:00
#         belong to the previous evening).
# Run from clinical/: Rscript testdata/r_reference.R [PHENOTYPE_DIR OUT.tsv]
args <- commandArgs(trailingOnly = TRUE)
ph <- if (length(args) >= 1) args[1] else "testdata/bids/phenotype"
out <- if (length(args) >= 2) args[2] else "testdata/r_reference_scores.tsv"
rd <- function(f) read.delim(file.path(ph, f), colClasses = "character", na.strings = c("n/a", ""))
code <- function(x, lo, hi) {
  ok <- !is.na(x) & grepl("^[0-9]+$", x)
  v <- rep(NA_real_, length(x)); v[ok] <- as.numeric(x[ok])
  v[!is.na(v) & (v < lo | v > hi)] <- NA
  v
}
num <- function(x, lo, hi) {
  v <- suppressWarnings(as.numeric(x))
  rg <- !is.na(x) & is.na(v) & grepl("^ *[0-9.]+ *- *[0-9.]+ *$", x)
  if (any(rg)) {
    p <- strsplit(x[rg], "-")
    v[rg] <- sapply(p, function(q) mean(as.numeric(q)))
  }
  v[!is.na(v) & (v < lo | v > hi)] <- NA
  v
}
clk <- function(x) {
  ok <- !is.na(x) & grepl("^[0-9]{1,2}:[0-9]{2}$", x)
  v <- rep(NA_real_, length(x))
  h <- as.numeric(sub(":.*", "", x[ok])); m <- as.numeric(sub(".*:", "", x[ok]))
  v[ok] <- ifelse(h < 24 & m < 60, h * 60 + m, NA)
  v
}
irls <- rd("irls.tsv")
it <- sapply(sprintf("irls_%02d", 1:10), function(c) code(irls[[c]], 0, 4))
irls_total <- rowSums(it)
irls_band <- cut(irls_total, c(-1, 0, 10, 20, 30, 40), labels = c("none", "mild", "moderate", "severe", "very severe"))
out_irls <- data.frame(participant_id = irls$participant_id, irls_total = irls_total, irls_band = as.character(irls_band))

ess <- rd("ess.tsv")
out_ess <- data.frame(participant_id = ess$participant_id,
                      ess_total = rowSums(sapply(sprintf("ess_%02d", 1:8), function(c) code(ess[[c]], 0, 3))))

p <- rd("psqi.tsv")
q <- function(c) code(p[[c]], 0, 3)
bed <- clk(p$psqi_01); up <- clk(p$psqi_03)
lat <- num(p$psqi_02, 0, 1440); hrs <- num(p$psqi_04, 0, 24)
c1 <- q("psqi_06")
latsc <- ifelse(lat <= 15, 0, ifelse(lat <= 30, 1, ifelse(lat <= 60, 2, 3)))
s2 <- latsc + q("psqi_05a")
c2 <- ifelse(s2 == 0, 0, ifelse(s2 <= 2, 1, ifelse(s2 <= 4, 2, 3)))
c3 <- ifelse(hrs > 7, 0, ifelse(hrs >= 6, 1, ifelse(hrs >= 5, 2, 3)))
tib <- ((up - bed) %% 1440) / 60
eff <- 100 * hrs / tib
eff[!is.na(eff) & (tib == 0 | hrs > tib)] <- NA
c4 <- ifelse(eff >= 85, 0, ifelse(eff >= 75, 1, ifelse(eff >= 65, 2, 3)))
j <- if ("psqi_05j" %in% names(p)) q("psqi_05j") else rep(NA, nrow(p))
jt <- if ("psqi_05j_text" %in% names(p)) !is.na(p$psqi_05j_text) else rep(FALSE, nrow(p))
j <- ifelse(is.na(j) | !jt, 0, j)
s5 <- rowSums(sapply(sprintf("psqi_05%s", letters[2:9]), q)) + j
c5 <- ifelse(s5 == 0, 0, ifelse(s5 <= 9, 1, ifelse(s5 <= 18, 2, 3)))
c6 <- q("psqi_07")
s7 <- q("psqi_08") + q("psqi_09")
c7 <- ifelse(s7 == 0, 0, ifelse(s7 <= 2, 1, ifelse(s7 <= 4, 2, 3)))
out_psqi <- data.frame(participant_id = p$participant_id, psqi_c1_quality = c1, psqi_c2_latency = c2,
                       psqi_c3_duration = c3, psqi_c4_efficiency = c4, psqi_c5_disturbance = c5,
                       psqi_c6_medication = c6, psqi_c7_daytime = c7,
                       psqi_global = c1 + c2 + c3 + c4 + c5 + c6 + c7)

jh <- rd("jhrlss.tsv")
sym <- code(jh$jhrlss_symptoms, 0, 1)
dayc <- function(m) ifelse(m < 360, m + 1440, m)
on <- dayc(clk(jh$jhrlss_onset)); bd <- dayc(clk(jh$jhrlss_bedtime))
jscore <- ifelse(sym == 0, 0, ifelse(on < 18 * 60, 3, ifelse(on >= bd - 60, 1, 2)))
out_jh <- data.frame(participant_id = jh$participant_id, jhrlss = jscore)

all <- Reduce(function(a, b) merge(a, b, by = "participant_id", all = TRUE), list(out_irls, out_ess, out_psqi, out_jh))
write.table(all, out, sep = "\t", quote = FALSE, row.names = FALSE, na = "n/a")
cat("R", R.version$major, R.version$minor, "wrote", nrow(all), "rows\n")
