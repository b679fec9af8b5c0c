// Package classroom is the instructors' side of the chapter "Exercises" of
// the workbook "WebSocket in Go": the list of exercises, the student's copy
// of them (the handout), the GitHub Classroom configuration and the git
// repository a handout becomes. The commands handout and grade use it; it
// is never handed out.
package classroom
