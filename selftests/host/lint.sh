#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint, as part of make check (scripts/lint.sh).
#
# A host test runs on this machine, not in a guest: run.sh runs each
# selftests/host/*.sh after building the guest programs and takes every
# "ok DESC" and "not ok DESC" line it prints as a result; other lines
# are comments. A script that fails without a "not ok" line fails too.

exec "$(dirname "$0")/../../scripts/lint.sh" "$@"
