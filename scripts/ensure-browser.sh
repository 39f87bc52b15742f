#!/usr/bin/env bash
# Debian's Chromium and a Chinese font for the end-to-end tests (without the font every Chinese label
# renders as empty boxes in the screenshots). Installs only what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then echo "chromium and the Chinese font are present"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "please install: ${need[*]} (apt-get install -y ${need[*]})"; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
