#!/usr/bin/env bash
# OS packages the test suite uses beyond Python (Debian/Ubuntu): pdftoppm/pdftotext/pdfimages for the PDF
# report test, GStreamer's RTSP server for the live-stream test, Chromium for the dashboard's browser test,
# Pango for WeasyPrint. Idempotent: installs only what is missing. Run as root or with sudo.
set -euo pipefail
packages=(poppler-utils python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
          chromium libpango-1.0-0 libpangoft2-1.0-0)
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
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
