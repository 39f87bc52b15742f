#!/usr/bin/env bash
# PostgreSQL for shared books (`coffer serve`, issue "Shared books"): the tests reach it on
# 127.0.0.1:5432 with trust auth and the database `test`. Where it is missing it is installed from
# Debian and its cluster started; where it is installed but stopped it is started. Idempotent.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if command -v pg_isready >/dev/null && ready; then echo "PostgreSQL is accepting connections on 127.0.0.1:5432"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "please install and start PostgreSQL (apt-get install -y postgresql)"; exit 1; fi
if [ ! -d /etc/postgresql ] || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi
version=$(ls /etc/postgresql | sort -V | tail -1)
conf=/etc/postgresql/$version/main
# Trust on loopback, as on the development machines (tests only; nothing here is reachable from outside).
if ! grep -q "coffer-tests" "$conf/pg_hba.conf"; then
  sed -i '1i host all all 127.0.0.1/32 trust # coffer-tests\nhost all all ::1/128 trust # coffer-tests\nlocal all all trust # coffer-tests' "$conf/pg_hba.conf"
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$version" main reload
for _ in $(seq 1 60); do ready && break; sleep 1; done
ready || { echo "PostgreSQL did not start"; exit 1; }
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test"
echo "PostgreSQL $version is accepting connections on 127.0.0.1:5432"
