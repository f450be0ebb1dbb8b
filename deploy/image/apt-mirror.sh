#!/usr/bin/env bash
# Prints the package mirror this machine's apt is configured with for a Debian suite, so that scripts
# (check-offline.sh) follow the machine's own mirror instead of one written into them.
#
#   apt-mirror.sh SUITE [SOURCES_FILE...]
#
# Reads the one-line format (sources.list, *.list: "deb [options] URI SUITE COMPONENT...") and the deb822
# format (*.sources: stanzas of Types/URIs/Suites), the files apt itself reads by default:
# /etc/apt/sources.list and /etc/apt/sources.list.d/*.list and *.sources. Prints the first URI of a "deb"
# entry that serves SUITE exactly (so bookworm-security or another vendor's repository never matches),
# and exits 1 with a message when there is none.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 SUITE [SOURCES_FILE...]" >&2
  exit 2
fi
suite=$1
shift
if [ $# -eq 0 ]; then
  set -- /etc/apt/sources.list
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] && set -- "$@" "$f"
  done
fi
for file in "$@"; do
  [ -r "$file" ] || continue
  if [[ "$file" == *.sources ]]; then
    mirror=$(awk -v suite="$suite" '
      function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uris != "" && found == "") { split(uris, u, " "); found = u[1] } types = ""; uris = ""; suites = "" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "types:"  { $1 = ""; types = $0; sub(/^ +/, "", types) }
      tolower($1) == "uris:"   { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
      tolower($1) == "suites:" { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
      END { flush(); print found }' "$file")
  else
    mirror=$(awk -v suite="$suite" '
      /^[ \t]*#/ || $1 != "deb" { next }
      { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ } if ($(i + 1) == suite) { print $i; exit } }' "$file")
  fi
  if [ -n "$mirror" ]; then
    echo "$mirror"
    exit 0
  fi
done
echo "$0: no 'deb' source for suite $suite in: $*; set MIRROR to the Debian mirror to use" >&2
exit 1
