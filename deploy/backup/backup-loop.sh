#!/bin/sh
# The compose `backup` service: `glucoplay backup --to BACKUP_DIR` once a day at BACKUP_AT (UTC,
# HH:MM). The backup command itself makes the dump (pg_dump -Fc for PostgreSQL), its checksum and
# the retention (7 daily, 4 weekly); this loop only schedules it, and a failure is logged and
# retried the next day rather than stopping the service.
set -eu
at=${BACKUP_AT:-03:00}
dir=${BACKUP_DIR:-/backups}
bin=${GLUCOPLAY_BIN:-/usr/local/bin/glucoplay}
case "$at" in
  [01][0-9]:[0-5][0-9] | 2[0-3]:[0-5][0-9]) ;;
  *) echo "backup-loop: BACKUP_AT must be HH:MM (UTC), got '$at'" >&2; exit 2 ;;
esac
trap 'exit 0' TERM INT

while :; do
  now=$(date -u +%s)
  next=$(date -u -d "today $at" +%s)
  [ "$next" -gt "$now" ] || next=$(date -u -d "tomorrow $at" +%s)
  echo "backup-loop: next backup at $(date -u -d "@$next" +%Y-%m-%dT%H:%M:%SZ)"
  sleep $((next - now)) &
  wait $!
  if "$bin" backup --to "$dir"; then
    echo "backup-loop: backup done"
  else
    echo "backup-loop: backup FAILED (exit $?); next attempt tomorrow" >&2
  fi
done
