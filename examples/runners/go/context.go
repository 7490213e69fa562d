// Package runners is the go test sample of examples/runners.
package runners

import (
	"fmt"
	"net/http"
	"os"
)

// ContextURL is the demo context service's address, from the suite's env.
func ContextURL(path string) string {
	return fmt.Sprintf("http://%s:%s%s", os.Getenv("CONTEXT_HOST"), os.Getenv("CONTEXT_PORT"), path)
}

// Status GETs url and returns the HTTP status code.
func Status(url string) (int, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return res.StatusCode, nil
}
