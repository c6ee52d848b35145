// compose-check validates docker-compose.yml against the Compose Specification with the loader that Docker Compose
// itself uses (github.com/compose-spec/compose-go): JSON-schema validation, interpolation, normalization and the
// consistency checks (depends_on, networks, volumes...), with every profile enabled so that services behind a
// profile (the notifier) are checked too. The loader's warnings (an unset variable, a YAML 1.1 boolean, the obsolete
// `version` key) fail the check as well.
//
// Usage, from the repository root: go -C tools/compose-check run . ../../docker-compose.yml
// (or .ci/check-compose.sh). It needs no Docker engine.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/sirupsen/logrus"
)

// dummyEnv holds a value for every variable the compose file interpolates that has no default: only these are
// seen by the loader (not the caller's environment nor a .env file), so the check gives the same answer everywhere.
var dummyEnv = []string{
	// Required by the notify profile (`${WEBHOOK_URL:?...}`); .invalid is a reserved name that never resolves.
	"WEBHOOK_URL=https://webhook.invalid/sarwatch-compose-check",
}

// warnings collects what the loader logs at warning level or above.
type warnings struct {
	messages []string
	seen     map[string]bool
}

func (w *warnings) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (w *warnings) Fire(entry *logrus.Entry) error {
	if !w.seen[entry.Message] {
		w.seen[entry.Message] = true
		w.messages = append(w.messages, entry.Message)
	}
	return nil
}

func main() {
	path := "docker-compose.yml"
	switch len(os.Args) {
	case 1:
	case 2:
		path = os.Args[1]
	default:
		fmt.Fprintln(os.Stderr, "usage: compose-check [path/to/docker-compose.yml]")
		os.Exit(2)
	}
	if err := check(path); err != nil {
		fmt.Fprintf(os.Stderr, "compose-check: %s: %v\n", path, err)
		os.Exit(1)
	}
}

func check(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	collected := &warnings{seen: map[string]bool{}}
	logrus.AddHook(collected)

	options, err := cli.NewProjectOptions(
		[]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithEnv(dummyEnv),
		cli.WithProfiles([]string{"*"}), // every profile
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return err
	}
	// Schema validation is on unless SkipValidation is set; LoadProject never sets it.
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return err
	}
	if len(collected.messages) > 0 {
		return fmt.Errorf("the loader warned:\n  %s", strings.Join(collected.messages, "\n  "))
	}
	if len(project.DisabledServices) > 0 {
		return fmt.Errorf("services left disabled with every profile enabled: %v", project.DisabledServices)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	fmt.Printf("compose-check: %s is valid (project %q, services: %s)\n", path, project.Name, strings.Join(names, ", "))
	return nil
}
