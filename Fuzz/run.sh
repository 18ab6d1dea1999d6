#!/usr/bin/env bash
# Builds a libFuzzer target with AddressSanitizer and runs it.
#
#   bash Fuzz/run.sh http   [SECONDS]   # HTTP parsing, the router and every page with random paths and queries
#   bash Fuzz/run.sh ingest [SECONDS]   # CSV ingest: random bytes and mutations of small valid files
#   bash Fuzz/run.sh results [SECONDS]  # a user's result files: lm-eval and OpenCompass outputs, manifests, maps
#   bash Fuzz/run.sh tls [SECONDS]      # a connection's first bytes on the HTTPS port: TLS records, handshakes, plain HTTP
#
# SECONDS defaults to 600. The build goes to .build-fuzz (a release build with -sanitize=fuzzer; the first
# takes a few minutes); the corpus grows in .build-fuzz/corpus-TARGET, seeded below. libFuzzer prints
# executions and coverage ("cov:", "ft:") as it goes and a summary at the end; a crash leaves its input as
# .build-fuzz/crash-*, which `swift run fuzz-TARGET FILE` replays without the fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: bash Fuzz/run.sh http|ingest|results|tls [SECONDS]}
seconds=${2:-600}
case "$target" in http|ingest|results|tls) ;; *) echo "usage: bash Fuzz/run.sh http|ingest|results|tls [SECONDS]" >&2; exit 2 ;; esac
# Linked with lld: gold 2.40 stops with an internal error (dwarf_reader.cc:2713) on the instrumented objects.
swift build -c release --product "fuzz-$target" --scratch-path .build-fuzz --sanitize address \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld >/dev/null
bin=.build-fuzz/release/fuzz-$target
corpus=.build-fuzz/corpus-$target
mkdir -p "$corpus"
if [ "$target" = http ]; then
  # Raw requests start with an even byte, structured ones with an odd byte.
  printf '\000GET /models/?base=qwen2.5-7b&method=lora&page=2 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n' >"$corpus/seed-get"
  printf '\000HEAD /%%2e%%2e/a HTTP/1.0\r\n\r\nGET /api/v1/models.json?limit=99999999999999999999 HTTP/1.1\r\nHost: y\r\nRange: bytes=-5\r\n\r\n' >"$corpus/seed-pipelined"
  printf '\000GET /downloads/scores-long.csv HTTP/1.1\r\nHost: z\r\nRange: bytes=10-\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n' >"$corpus/seed-range"
  printf '\001\001\010\006\020\012\005' >"$corpus/seed-structured"
elif [ "$target" = tls ]; then
  # A real ClientHello for TLS 1.3 and one for 1.2 (openssl s_client's, captured by a local listener), a
  # plain-HTTP request, and the start of a record.
  for v in tls1_3 tls1_2; do
    timeout 5 python3 - "$corpus/seed-hello-$v" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 18999)); s.listen(1)
c, _ = s.accept(); c.settimeout(2); data = c.recv(65536); open(sys.argv[1], "wb").write(data)
PY
    sleep 0.5
    echo | timeout 3 openssl s_client -connect 127.0.0.1:18999 -"$v" >/dev/null 2>&1 || true
    wait
  done
  printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >"$corpus/seed-plain"
  printf '\026\003\001\000\310\001\000\000\304\003\003' >"$corpus/seed-truncated"
elif [ "$target" = results ]; then
  # The tools' own outputs and the hand-made fixtures, each behind the byte that picks its reader.
  tools=Tests/Fixtures/tools
  { printf '\000'; cat "$tools"/lm-eval/results_*.json; } >"$corpus/seed-lmeval"
  { printf '\001'; cat "$tools"/opencompass/summary_*.csv; } >"$corpus/seed-summary-csv"
  { printf '\002'; head -c 6000 "$(ls "$tools"/opencompass/summary_*.txt | head -1)"; } >"$corpus/seed-summary-txt"
  printf '\003model,total,writing\nm,6.9,8.0\n' >"$corpus/seed-mtbench"
  printf '\004name,base,dataset,method,epochs,samples,schedule,results\nA,qwen2.5-7b,lima,full,3,1000,cosine,s.csv#m\nB,b,none,none,,,,r.json\n' >"$corpus/seed-manifest"
  printf '\005tool,task,metric,column,scale\nlm-eval,gsm8k,"acc,none",gsm8k-5shot,100\n' >"$corpus/seed-map"
  { printf '\006'; cat "$tools"/opencompass/results/my-sft/gsm8k.json; } >"$corpus/seed-result"
else
  # The fixture (the test suite's small file) and, when present, the head of the released results.
  printf ',model_name,data_name,mbpp_4shot,math-0shot,Truthful_QA-0shot,mtbench-total,lora,epoch,data_size,lr_strategy\n0,Qwen2.5-7B,pretrain,40.0,10.0,0.05,4.0,None,0,0.0,None\n1,Qwen2.5-7B,alpaca_cleaned,42.0,11.0,0.06,4.5,false,10,1000.0,cosine\n2,Qwen2.5-7B,math,45.0,20.0,0.05,4.1,true,3,20000.0,constant\n' >"$corpus/seed-fixture"
  released=../shared/data/massive-sft/evaluation_result.csv
  [ -f "$released" ] && head -n 40 "$released" >"$corpus/seed-release-head"
fi
# The TLS harness starts openssl and curl with Foundation's Process, whose run() leaks a weak-reference box
# each time; leaks are checked by the http target, which runs the same server code without it. Both
# libFuzzer's per-input check and LeakSanitizer's check at exit are off for it (the one at exit reported
# that box as a crash of the empty input once the time was up).
leaks=1
[ "$target" = tls ] && leaks=0
ASAN_OPTIONS="detect_leaks=$leaks${ASAN_OPTIONS:+:$ASAN_OPTIONS}" exec "$bin" -detect_leaks="$leaks" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix=.build-fuzz/ "$corpus"
