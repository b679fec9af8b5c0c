// Package webtest holds the test helpers that every chapter's tests share:
// starting a workbook server on a loopback port the way a student would run
// it, and driving the shared page in a real headless Chromium.
//
// It belongs to the chapter "The shared browser client", which explains how
// the page is tested. Tests only: nothing here is used by a server.
package webtest
