#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (a test tool's own browser
# download cannot work offline). Install it when it is missing and we are allowed to.
set -euo pipefail
CHROMIUM=${TSGI_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "tsgi: installing Debian's chromium for the browser tests (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "tsgi: the browser tests need Chromium at $CHROMIUM: run 'sudo apt-get install -y chromium' or set TSGI_CHROMIUM" >&2
exit 1
