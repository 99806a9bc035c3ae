// libgpiod v1.6's C API (Debian 12: libgpiod-dev), reached through pkg-config `libgpiod`.
#include <gpiod.h>
