package fanout

// Broker is the message system between the server's instances (NATS,
// Redis pub/sub, …), reduced to what one instance needs: a message
// published on a subject by any instance reaches every subscription to it.
type Broker interface {
	// Subscribe calls deliver with every message published on subject,
	// from a goroutine of the broker's, until cancel is called.
	Subscribe(subject string, deliver func(msg string)) (cancel func(), err error)
}
