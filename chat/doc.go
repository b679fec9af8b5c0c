// Command chat is the capstone of the chapter "Past one machine": a chat
// room server on gorilla/websocket whose fan-out and history run on NATS
// JetStream, so that any number of chat processes serve one set of rooms.
//
//	go run ./chat                        # one process, NATS embedded in it
//	go run ./chat -addr localhost:8081 -nats nats://127.0.0.1:PORT
//
// GET / serves the chat page, GET /ws the chat socket. The protocol is JSON,
// one object per text message (see protocol.go): the client sends join,
// say, and join with since to resume; the server sends message, presence
// and error. Every message said in a room is published to the JetStream
// stream CHAT on the subject chat.room.ROOM; every process that has members
// in the room reads that subject with an ordered consumer and writes each
// message to its own members. So a message said on one process reaches every
// member on every process, once, in the stream's order, and its id (the
// stream sequence) is the cursor a client resumes from after a reconnect.
//
// Every handshake brings a single-use ticket (gate.go, ticket.go): GET /
// gives the browser an anonymous session cookie, POST /ticket with it
// answers a ticket good once for 30 seconds, and /ws?ticket=TICKET redeems
// it before the upgrade (401 otherwise). Sessions and tickets live in NATS
// key-value buckets every process shares, and a redeem is a
// compare-and-delete, so a ticket asked of one process opens exactly one
// socket, on any process. Go clients get theirs through chat/login.
//
// It teaches why a WebSocket is pinned to one process, what a message bus
// adds (fan-out across processes, at most once with core NATS), what
// JetStream adds on top (a stored, ordered log to replay from), and how a
// client that keeps its cursor fails over to another process with no gap
// and no duplicate; and why authenticating a handshake past one machine
// needs a store that every process shares.
package main
