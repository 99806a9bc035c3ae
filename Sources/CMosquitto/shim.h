// libmosquitto's client API, reached through pkg-config `libmosquitto` (Debian: libmosquitto-dev).
#include <mosquitto.h>
