# glusleep as a BIDS App: a static Go binary on a distroless base.
#
#   docker build -t glusleep .
#   docker run --rm --user "$(id -u):$(id -g)" \
#     -v /path/bids:/data/bids:ro -v /path/derivatives:/data/derivatives \
#     glusleep /data/bids /data/derivatives participant --participant-label 01
#
# The entry point is `glusleep run`, so the arguments are those of a BIDS
# App: BIDS_DIR OUTPUT_DIR participant|group [options].

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w -buildid=" -o /out/glusleep ./cmd/glusleep

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/glusleep /glusleep
COPY LICENSE /LICENSE
USER 65532:65532
# Recorded as GeneratedBy.Container in the derivatives' dataset_description.json.
ENV GLUSLEEP_CONTAINER=docker
ENTRYPOINT ["/glusleep", "run"]
