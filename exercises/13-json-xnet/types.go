package chatjson

// Message is a chat message as a client sends it: one JSON object in a
// text message, {"type":"chat","from":"ann","text":"hi"}.
type Message struct {
	Type string `json:"type"` // always "chat"
	From string `json:"from"`
	Text string `json:"text"`
}

// Reply is what the server sends back for each message: the accepted
// message with its sequence number, {"type":"chat","from":"ann",
// "text":"hi","seq":1}, or a refusal, {"type":"error","error":"why"}.
type Reply struct {
	Type  string `json:"type"` // "chat" or "error"
	From  string `json:"from,omitempty"`
	Text  string `json:"text,omitempty"`
	Seq   int    `json:"seq,omitempty"`
	Error string `json:"error,omitempty"`
}
