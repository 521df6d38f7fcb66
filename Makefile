# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the OOM policy modules.
#
#   make                     build every module for the running kernel
#   make KDIR=<tree>         build against another kernel's headers
#   make check               boot the reference kernels in QEMU and run the tests
#   make stress              the OOM storm at full size on the reference kernels
#   make check-debug         the tests and the storm on a debug kernel (lockdep,
#                            KASAN, kmemleak), built once into build/debug-kernel
#   make check-system        a Debian 12 system in QEMU: apt install, loading at
#                            boot, a crisis among systemd services, a kernel
#                            upgrade rebuilt by DKMS, apt purge (slow)
#   make demo                show the policies choosing victims in one VM
#   make bench               what each policy costs the OOM killer, against stock
#   make install             install for KDIR's kernel into extra/oom-policy
#   make uninstall           and remove them again (both run depmod)
#   make lint                checkpatch, sparse on both kernels, clang-format
#   make deb                 the oom-policy-dkms Debian package, in build/deb
#   make version             the version, from dkms.conf
#
KDIR ?= /lib/modules/$(shell uname -r)/build

# The release KDIR's headers are for, where "make install" puts the
# modules. Not "make kernelrelease": Debian's 6.1 headers answer 6.1.N.
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
# Our own directory under /lib/modules/$(KVER), so that uninstall removes
# exactly what install put there. DKMS uses updates/dkms, which depmod
# prefers; do not use both for one kernel.
INSTALL_MOD_DIR ?= extra/oom-policy
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(CURDIR)/dkms.conf)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

check:
	selftests/run.sh

stress:
	selftests/stress.sh

check-debug:
	selftests/debug/check.sh

check-system:
	selftests/system/check.sh

demo:
	selftests/demo.sh

bench:
	selftests/bench.sh

install-check:
	@test -n "$(KVER)" || { echo "no kernel headers in $(KDIR)" >&2; exit 1; }
	@test -n "$(INSTALL_MOD_DIR)" || { echo "INSTALL_MOD_DIR is empty" >&2; exit 1; }

# Unsigned: Kbuild would sign with the key the kernel was built with, which
# distributions keep to themselves. For Secure Boot, install with DKMS,
# which signs with the machine owner key (docs/admin-guide.md).
install: install-check modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) KERNELRELEASE=$(KVER) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL= \
		modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)

uninstall: install-check
	rm -rf $(INSTALL_MOD_PATH)/lib/modules/$(KVER)/$(INSTALL_MOD_DIR)
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)

lint:
	scripts/lint.sh

deb:
	scripts/deb.sh

version:
	@echo $(VERSION)

.PHONY: all modules clean check stress check-debug check-system demo bench install-check install uninstall lint deb version
