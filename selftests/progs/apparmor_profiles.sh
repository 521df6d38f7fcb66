#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# AppArmor profiles for the label: tests of oom_namelist, compiled on the
# host into binary policy that the guest loads by writing it to
# /sys/kernel/security/apparmor/.load (the guest has no parser):
#
#   aa-webworker.bin      profile webworker, attached to /tmp/webworker
#   aa-webworker-v2.bin   the same with one more rule, to replace it
#   aa-batchjob.bin       profile batchjob, attached to /tmp/batchjob
#
# The profiles allow everything the test programs do: they only give the
# tasks a label.  Without apparmor_parser (Debian package apparmor) no
# file is written, and the tests that need them skip.
#
#   apparmor_profiles.sh OUTDIR

set -eu

out=$1

if ! command -v apparmor_parser >/dev/null; then
	echo "apparmor_profiles.sh: no apparmor_parser, label: tests will skip"
	exit 0
fi

# profile NAME ATTACHMENT [EXTRA RULE]: the policy text.
profile()
{
	cat <<PROFILE
profile $1 $2 {
  capability,
  file,
  signal,
  ptrace,
  network,
  unix,
  ${3:-}
}
PROFILE
}

# compile OUTFILE: the policy on standard input, in binary form.
compile()
{
	apparmor_parser --skip-kernel-load --skip-cache --quiet --stdout \
			>"$1.tmp"
	mv "$1.tmp" "$1"
}

profile webworker /tmp/webworker | compile "$out/aa-webworker.bin"
profile webworker /tmp/webworker 'deny /oom-policy-test-v2 w,' |
	compile "$out/aa-webworker-v2.bin"
profile batchjob /tmp/batchjob | compile "$out/aa-batchjob.bin"
