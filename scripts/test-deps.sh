#!/usr/bin/env bash
# Installs the Debian packages the tests need when missing: real Chromium for the browser tests,
# real DHCP/DNS/mDNS daemons and clients for the captive-network tests (run in network namespaces),
# systemd-analyze for the units. Daemons are installed without being started on the host: a
# policy-rc.d that answers 101 is put in place first when there is none.
set -euo pipefail
need=()
want() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
want chromium chromium
want dnsmasq dnsmasq
want dhclient isc-dhcp-client
want udhcpc udhcpc
want dhcpcd dhcpcd
want dig dnsutils
want avahi-daemon avahi-daemon
want avahi-browse avahi-utils
want dbus-daemon dbus
want ip iproute2
want curl curl
want openssl openssl
want certutil libnss3-tools
want systemd-analyze systemd
fc-list 2>/dev/null | grep -qi 'dejavu\|noto' || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "test-deps: missing Debian packages: ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
fi
echo "test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
