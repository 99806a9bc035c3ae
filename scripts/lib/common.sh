# Sourced by the packaging and cross-compilation scripts: the few facts and helpers they share.

# Where the cross toolchain, the arm64 sysroot, the SDK and the guest roots are kept. Outside the
# clone on purpose: they cost minutes and gigabytes to make and serve every clone on the machine.
sawah_cross_cache="${SAWAH_CROSS_CACHE:-/var/cache/sawah-cross}"
# The oldest Debian suite the arm64 package is built against (see docs/arm64.md: a binary runs
# on the glibc it was linked against and every newer one, and trixie's libgpiod-dev is the
# 2.x API, which SawahGPIO does not speak).
sawah_cross_suite=bookworm
sawah_cross_sysroot="$sawah_cross_cache/sysroot-$sawah_cross_suite-arm64"

# The Debian mirror this machine's apt uses, for debootstrap.
debian_mirror() {
  local mirror
  mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
  echo "${mirror:-http://deb.debian.org/debian}"
}

# retry COMMAND…: up to three tries ten seconds apart, so a mirror hiccup does not fail a run.
retry() {
  local n
  for n in 1 2 3; do
    "$@" && return 0
    echo "$(basename "$0"): '$*' failed (attempt $n of 3)" >&2
    [ "$n" = 3 ] || sleep 10
  done
  return 1
}
