#!/usr/bin/env bash
# OS packages the test suite uses beyond Python (Debian/Ubuntu): pdftoppm/pdftotext/pdfimages for the PDF
# report test, GStreamer's RTSP server for the live-stream test, Chromium for the dashboard's browser test,
# Pango for WeasyPrint, Redis for service mode. Java 17 and Maven (the local Neo4j) must already be there.
# Idempotent: installs only what is missing. Run as root or with sudo.
set -euo pipefail
packages=(poppler-utils python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
          chromium libpango-1.0-0 libpangoft2-1.0-0 redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -q >/dev/null
# A policy-rc.d that answers 101 keeps the package from starting its own Redis with persistence;
# scripts/start-services.sh starts one on loopback, in memory, when nothing answers there.
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && added_policy=1
fi
status=0
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || status=$?
if [ -n "$added_policy" ]; then $sudo rm -f "$policy"; fi
exit "$status"
