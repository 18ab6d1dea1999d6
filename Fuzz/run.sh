#!/usr/bin/env bash
# Builds the HTTP parser fuzz target and runs it.   bash Fuzz/run.sh [SECONDS]   (default 600)
# The corpus grows in .build-fuzz/corpus (seeded with a few requests); libFuzzer prints executions and
# coverage ("cov:") as it goes and a summary at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
mkdir -p .build-fuzz/corpus
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzHTTP \
  Fuzz/HTTPParserFuzz.swift Sources/AtlasServer/HTTPParser.swift Sources/AtlasServer/RequestTarget.swift \
  Sources/AtlasServer/HTTPRequest.swift -o .build-fuzz/http-parser
printf 'GET /models/?base=a&method=lora HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n' >.build-fuzz/corpus/seed-get
printf 'HEAD /%%2e%%2e/a HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: y\r\nConnection: close\r\n\r\n' >.build-fuzz/corpus/seed-pipelined
printf 'POST /x HTTP/1.1\r\nHost: z\r\nContent-Length: 3\r\n\r\nabc' >.build-fuzz/corpus/seed-post
.build-fuzz/http-parser -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 .build-fuzz/corpus
