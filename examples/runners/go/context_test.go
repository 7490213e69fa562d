package runners

import "testing"

func TestA(t *testing.T) {
	if 6*7 != 42 {
		t.Fatal("arithmetic")
	}
}

func TestB(t *testing.T) {
	t.Run("sub", func(t *testing.T) {
		t.Log("a subtest")
	})
	t.Run("context-health", func(t *testing.T) {
		code, err := Status(ContextURL("/health"))
		if err != nil {
			t.Fatal(err)
		}
		if code != 200 {
			t.Fatalf("GET /health: HTTP %d", code)
		}
	})
}
