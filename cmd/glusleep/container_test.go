package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"glusleep/study"
)

// repoFile reads a file at the repository root.
func repoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goVersion is the go directive of go.mod.
func goVersion(t *testing.T) string {
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(repoFile(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return m[1]
}

// checkBIDSAppCLI runs the command line the container's entry point forms
// (entry[1:] then the BIDS App's arguments) through runMain: its help names
// the BIDS App arguments, and a call with them reaches the dataset (the
// error is about the missing BIDS folder, not the command line).
func checkBIDSAppCLI(t *testing.T, entry []string) {
	t.Helper()
	if len(entry) < 2 || filepath.Base(entry[0]) != "glusleep" || entry[1] != "run" {
		t.Fatalf("entry point %q, want the glusleep binary and its run command", entry)
	}
	var so, se bytes.Buffer
	runMain(&cmdEnv{stdout: &so, stderr: &se}, append(append([]string{}, entry[1:]...), "--help"))
	help := so.String() + se.String()
	for _, want := range []string{"BIDS_DIR", "OUT_DIR", "participant|group", "participant-label"} {
		if !strings.Contains(help, want) {
			t.Errorf("`%s --help` does not mention %s:\n%s", strings.Join(entry, " "), want, help)
		}
	}
	missing := filepath.Join(t.TempDir(), "no-such-bids")
	so.Reset()
	se.Reset()
	args := append(append([]string{}, entry[1:]...), missing, filepath.Join(t.TempDir(), "out"), "participant", "--participant-label", "01")
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code == 0 || !strings.Contains(se.String(), missing) {
		t.Errorf("BIDS App call %q: exit %d, stderr %q (want an error naming the missing dataset)", args, code, se.String())
	}
}

// The Dockerfile builds the static binary from ./cmd/glusleep with the
// go.mod toolchain and runs it as `glusleep run` (a BIDS App entry point)
// whose arguments the command line accepts.
func TestDockerfileEntryPoint(t *testing.T) {
	df := repoFile(t, "Dockerfile")
	var entry []string
	for _, line := range strings.Split(df, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "ENTRYPOINT "); ok {
			if err := json.Unmarshal([]byte(rest), &entry); err != nil {
				t.Fatalf("ENTRYPOINT %s is not the exec (JSON) form: %v", rest, err)
			}
		}
	}
	if entry == nil {
		t.Fatal("Dockerfile has no ENTRYPOINT")
	}
	build := regexp.MustCompile(`RUN CGO_ENABLED=0 .*go build .*-o (\S+) \./cmd/glusleep`).FindStringSubmatch(df)
	if build == nil {
		t.Fatal("no CGO_ENABLED=0 go build of ./cmd/glusleep")
	}
	if !strings.Contains(df, "COPY --from=build "+build[1]+" "+entry[0]+"\n") {
		t.Errorf("the built %s is not copied to the entry point %s", build[1], entry[0])
	}
	if !strings.Contains(df, "FROM golang:"+goVersion(t)+"-") {
		t.Errorf("build stage is not golang:%s (go.mod)", goVersion(t))
	}
	if !regexp.MustCompile(`(?m)^FROM (gcr\.io/distroless/static\S*|scratch)$`).MatchString(df) {
		t.Error("final stage is not distroless static or scratch")
	}
	checkBIDSAppCLI(t, entry)
}

// The Apptainer definition builds the same way and its run script is
// `glusleep run "$@"`.
func TestApptainerRunscript(t *testing.T) {
	def := repoFile(t, "glusleep.def")
	section := func(name string) string {
		i := strings.Index(def, "\n"+name+"\n")
		if i < 0 {
			t.Fatalf("glusleep.def has no %s section", name)
		}
		body := def[i+len(name)+2:]
		if j := regexp.MustCompile(`\n(%|Bootstrap:)`).FindStringIndex(body); j != nil {
			body = body[:j[0]]
		}
		return body
	}
	run := strings.Fields(section("%runscript"))
	if len(run) != 4 || run[0] != "exec" || run[3] != `"$@"` {
		t.Fatalf("run script %q, want exec BINARY run \"$@\"", run)
	}
	build := regexp.MustCompile(`CGO_ENABLED=0 .*go build .*-o (\S+) \./cmd/glusleep`).FindStringSubmatch(section("%post"))
	if build == nil {
		t.Fatalf("the %s section has no CGO_ENABLED=0 go build of ./cmd/glusleep", "%post")
	}
	if !strings.Contains(section("%files from build"), build[1]+" "+run[1]) {
		t.Errorf("the built %s is not copied to %s", build[1], run[1])
	}
	if !strings.Contains(def, "From: golang:"+goVersion(t)+"-") {
		t.Errorf("build stage is not golang:%s (go.mod)", goVersion(t))
	}
	checkBIDSAppCLI(t, run[1:3])
}

// Both recipes set the variable by which the derivatives'
// dataset_description.json records the container (GeneratedBy.Container).
func TestContainerRecipesNameTheContainer(t *testing.T) {
	for file, want := range map[string]string{
		"Dockerfile":   "ENV " + study.ContainerEnv + "=docker\n",
		"glusleep.def": "export " + study.ContainerEnv + "=apptainer\n",
	} {
		if !strings.Contains(repoFile(t, file), want) {
			t.Errorf("%s does not set %q", file, strings.TrimSpace(want))
		}
	}
}
