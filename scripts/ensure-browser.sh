#!/usr/bin/env bash
# What the tests need from Debian besides Node: Chromium and a Chinese font for the end-to-end tests
# (without the font every Chinese label renders as empty boxes in the screenshots) and the CLI's --pdf;
# hledger, which reads the exported journal; and openpyxl, the Python reader the month-end pack's
# workbook must open in. Installs only what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei)
command -v hledger >/dev/null || need+=(hledger)
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need+=(python3-openpyxl)
if [ ${#need[@]} -eq 0 ]; then echo "chromium, the Chinese font, hledger and openpyxl are present"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "please install: ${need[*]} (apt-get install -y ${need[*]})"; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
