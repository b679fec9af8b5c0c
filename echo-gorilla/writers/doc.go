// Package writers is the first section of the chapter "What Go developers
// trip on": one writer at a time. Its server echoes every message and, from
// a second goroutine, pushes messages of its own (a notification, a chat
// line, a tick): two writers on one connection, which gorilla/websocket
// does not allow.
//
// Naive writes from both goroutines and panics under load ("concurrent
// write to websocket connection", gorilla's most common support question,
// gorilla/websocket#957). Locked and Pump are the two fixes gorilla's
// maintainers recommend: a mutex around every write, or one writer
// goroutine fed by a channel, as in gorilla's chat example. Pump also has
// the answer to a slow consumer: a bounded queue, and a client whose queue
// is full is evicted, the policy of the polling lab's Subscriber.
package writers
