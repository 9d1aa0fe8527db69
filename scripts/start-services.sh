#!/usr/bin/env bash
# Services the tests use that a machine may not run: Redis on 127.0.0.1:6379, started only when nothing
# answers there (in memory, no persistence; tests use their own database numbers). Neo4j is started by the
# test session itself (tests/conftest.py) unless NEO4J_URI names one. Idempotent and quick when all is up.
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  exit 0
fi
echo "starting redis-server on 127.0.0.1:6379" >&2
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
  --logfile "${TMPDIR:-/tmp}/vidgraph-redis.log" >/dev/null
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "error: redis-server did not answer on 127.0.0.1:6379 (log: ${TMPDIR:-/tmp}/vidgraph-redis.log)" >&2
exit 1
