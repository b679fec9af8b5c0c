// Package chapters is the workbook's book: the Markdown chapters that
// mdBook builds (see book.toml), and the tests that keep them honest. Every
// code listing is an {{#include}} of a file that is compiled and tested;
// book_test.go proves that every include resolves to real, non-empty text,
// because mdBook 0.4.4 silently inserts nothing for a missing anchor.
package chapters
