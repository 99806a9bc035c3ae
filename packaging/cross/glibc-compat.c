// glibc compatibility for arm64 builds that run on Debian 12 (glibc 2.36).
//
// The static Swift libraries in Debian unstable's swiftlang:arm64 were compiled against
// glibc 2.42. Headers of glibc >= 2.38 in C23 mode rename strtol, sscanf and friends to
// __isoc23_* (they parse "0b" binary prefixes), and those libraries also call strlcpy and
// strlcat, new in 2.38. Debian 12 has none of these, so a binary that references them does not
// start there. Linking this object defines each one in the executable, forwarding to the
// function Debian 12 has; the behaviour differs only for "0b…" input, which Swift's runtime
// and Foundation never hand to these calls. Not linked into amd64 builds (the host toolchain
// targets older glibcs already) and not needed for trixie-only builds.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long __isoc23_strtol(const char *s, char **end, int base) { return strtol(s, end, base); }
unsigned long __isoc23_strtoul(const char *s, char **end, int base) { return strtoul(s, end, base); }
long long __isoc23_strtoll(const char *s, char **end, int base) { return strtoll(s, end, base); }
unsigned long long __isoc23_strtoull(const char *s, char **end, int base) { return strtoull(s, end, base); }

int __isoc23_vsscanf(const char *s, const char *format, va_list args) { return vsscanf(s, format, args); }

int __isoc23_sscanf(const char *s, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsscanf(s, format, args);
    va_end(args);
    return n;
}

size_t strlcpy(char *dst, const char *src, size_t size) {
    size_t len = strlen(src);
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

size_t strlcat(char *dst, const char *src, size_t size) {
    size_t dlen = strnlen(dst, size);
    if (dlen == size) return size + strlen(src);
    return dlen + strlcpy(dst + dlen, src, size - dlen);
}
