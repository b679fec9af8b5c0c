module github.com/websocket-in-go/workbook/handshake/perf/peers

go 1.26.0

require (
	github.com/coder/websocket v1.8.15
	github.com/gobwas/ws v1.5.0
	github.com/lesismal/nbio v1.6.8
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/gobwas/httphead v0.1.0 // indirect
	github.com/lesismal/llib v1.2.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.0.0-20210513122933-cd7d49e622d5 // indirect
	golang.org/x/sys v0.0.0-20210423082822-04245dca01da // indirect
)
