# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of the OOM policy modules.
#
#   make                     build every module for the running kernel
#   make KDIR=<tree>         build against another kernel's headers
#   make check               boot the reference kernels in QEMU and run the tests
#   make demo                show the policies choosing victims in one VM
#
KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

check:
	selftests/run.sh

demo:
	selftests/demo.sh

.PHONY: all modules clean check demo
