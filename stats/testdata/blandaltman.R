# Bland–Altman agreement reference values for stats.BlandAltman and
# stats.BlandAltmanPercent (see README.md). Run: Rscript blandaltman.R
# Data: peak expiratory flow rate (l/min) of 17 people, first reading on
# the Wright meter and on the mini Wright meter (Bland & Altman, Lancet
# 1986; i:307-310, Table 1).
wright <- c(494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427)
mini <- c(512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451)
out <- data.frame(name = character(), value = numeric())
add <- function(prefix, d) {
  ci <- t.test(d)$conf.int
  v <- c(n = length(d), bias = mean(d), sd = sd(d),
         lower = mean(d) - 1.96 * sd(d), upper = mean(d) + 1.96 * sd(d),
         bias_low = ci[1], bias_high = ci[2])
  out <<- rbind(out, data.frame(name = paste0(prefix, "_", names(v)), value = unname(v)))
}
add("pefr", wright - mini)
add("pefr_pct", 100 * (wright - mini) / ((wright + mini) / 2))
cat("# written by blandaltman.R, ", R.version.string, "\n", file = "blandaltman.tsv", sep = "")
suppressWarnings(write.table(format(out, digits = 17), "blandaltman.tsv", sep = "\t", quote = FALSE,
            row.names = FALSE, append = TRUE))
