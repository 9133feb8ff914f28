// main.go - Casbin Go (Debian's golang-github-casbin-casbin-dev, built offline in GOPATH mode)
// on the dataset and queries authz_peers_gen wrote. As in run.js: the first 2,000 answers must
// equal authz's before timing (a mismatch exits 3), then one JSON line with load time,
// checks/s, p50 (per 64-query batch, so the clock does not dominate) and peak resident memory.
//
//	usage: casbin-go DIR
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	fileadapter "github.com/casbin/casbin/v2/persist/file-adapter"
)

// The same model node-casbin loads: RBAC with one role level, exact resource and action.
const casbinModel = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
`

type query struct {
	user, resource, action string
	expected               bool
}

func readQueries(dir string) []query {
	f, err := os.Open(filepath.Join(dir, "queries.txt"))
	if err != nil {
		fail(err)
	}
	defer f.Close()
	var qs []query
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		if len(w) == 4 {
			qs = append(qs, query{w[0], w[1], w[2], w[3] == "1"})
		}
	}
	return qs
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "casbin-go:", err)
	os.Exit(1)
}

func check(e *casbin.Enforcer, q query) bool {
	ok, err := e.Enforce(q.user, q.resource, q.action)
	if err != nil {
		fail(err)
	}
	return ok
}

func main() {
	dir := os.Args[1]
	qs := readQueries(dir)
	start := time.Now()
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		fail(err)
	}
	e, err := casbin.NewEnforcer(m, fileadapter.NewAdapter(filepath.Join(dir, "policy.csv")))
	if err != nil {
		fail(err)
	}
	load := time.Since(start)
	rules := len(e.GetPolicy()) + len(e.GetGroupingPolicy())
	for i := 0; i < 2000 && i < len(qs); i++ {
		if got := check(e, qs[i]); got != qs[i].expected {
			fmt.Fprintf(os.Stderr, "casbin-go: answer %d differs from authz: %+v -> %v\n", i, qs[i], got)
			os.Exit(3)
		}
	}
	// Slow peers are timed for a budget of ~10 s rather than over every query.
	batches := len(qs) / 64
	lat := make([]float64, batches)
	allowed := 0
	t0 := time.Now()
	for b := 0; b < batches; b++ {
		if b > 0 && time.Since(t0) > 10*time.Second {
			batches, lat = b, lat[:b]
			break
		}
		t := time.Now()
		for i := b * 64; i < b*64+64; i++ {
			if check(e, qs[i]) {
				allowed++
			}
		}
		lat[b] = float64(time.Since(t).Nanoseconds()) / 64
	}
	total := time.Since(t0)
	sort.Float64s(lat)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	out, _ := json.Marshal(map[string]interface{}{
		"peer": "Casbin Go", "rules": rules, "queries": batches * 64, "allowed": allowed,
		"load_ms":      float64(load.Microseconds()) / 1000,
		"checks_per_s": float64(batches*64) / total.Seconds(),
		"p50_ns":       lat[batches/2],
		"peak_rss_mb":  float64(ru.Maxrss) / 1024,
	})
	fmt.Println(string(out))
}
