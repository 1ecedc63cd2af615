# Reference values for stats.FitLine / LineFit.ConfidenceBand: the
# confidence band of the mean response of a simple linear regression,
# predict(lm(y ~ x), newdata, interval = "confidence", level = L).
# Run: cd stats/testdata && Rscript band.R   (writes band_data.tsv, band.tsv)
set.seed(20261201)
sets <- list(
  a = { x <- runif(12, 0.5, 1.6); data.frame(x = x, y = 20 + 15 * x + rnorm(12, sd = 6)) },
  b = { x <- c(1, 2, 3, 4, 5); data.frame(x = x, y = c(2.1, 3.9, 6.2, 7.8, 10.3)) },
  c = { x <- rnorm(40, 100, 15); data.frame(x = x, y = 300 - 0.8 * x + rnorm(40, sd = 25)) }
)
f17 <- function(v) sprintf("%.17g", v)
dat <- do.call(rbind, lapply(names(sets), function(k) data.frame(set = k, x = f17(sets[[k]]$x), y = f17(sets[[k]]$y))))
write.table(dat, "band_data.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
out <- list()
for (k in names(sets)) {
  d <- sets[[k]]
  m <- lm(y ~ x, data = d)
  r <- range(d$x)
  xn <- c(seq(r[1], r[2], length.out = 9), r[1] - diff(r) / 2, r[2] + diff(r))
  for (lev in c(0.95, 0.9, 0.99)) {
    p <- predict(m, newdata = data.frame(x = xn), interval = "confidence", level = lev)
    out[[length(out) + 1]] <- data.frame(set = k, level = lev, x = f17(xn), fit = f17(p[, "fit"]),
                                         lwr = f17(p[, "lwr"]), upr = f17(p[, "upr"]),
                                         intercept = f17(coef(m)[1]), slope = f17(coef(m)[2]), sigma = f17(sigma(m)))
  }
}
write.table(do.call(rbind, out), "band.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
cat(R.version.string, "\n")
