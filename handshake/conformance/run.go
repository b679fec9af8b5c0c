package conformance

// Run runs one case against the echo endpoint at wsURL (ws://host:port/ws)
// on a fresh connection.
func (c Case) Run(wsURL string) Result {
	p, err := dial(wsURL)
	if err != nil {
		return failf("handshake: %v", err)
	}
	defer p.close()
	return c.run(p)
}

// RunAll runs every case against wsURL and returns the results by case ID.
func RunAll(wsURL string) map[string]Result {
	results := make(map[string]Result)
	for _, c := range Cases() {
		results[c.ID] = c.Run(wsURL)
	}
	return results
}
