package main

import "flag"

// updateGolden rewrites the golden files in testdata/ from real runs.
var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")
