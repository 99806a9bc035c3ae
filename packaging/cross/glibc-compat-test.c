// Checks glibc-compat.c's own logic on the build machine (bookworm's glibc has no strlcpy,
// so these are the shim's definitions): scripts/cross-sdk compiles and runs it with the host
// compiler whenever it rebuilds the shim. Exits non-zero, naming the case, on a wrong result.
#include <stdio.h>
#include <string.h>

size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
long __isoc23_strtol(const char *s, char **end, int base);
int __isoc23_sscanf(const char *s, const char *format, ...);

static int failures = 0;
static void expect(int ok, const char *what) {
    if (!ok) { fprintf(stderr, "glibc-compat: %s\n", what); failures++; }
}

int main(void) {
    char buf[8];
    expect(strlcpy(buf, "abc", sizeof buf) == 3 && strcmp(buf, "abc") == 0, "strlcpy copies a short string");
    expect(strlcpy(buf, "abcdefghij", sizeof buf) == 10 && strcmp(buf, "abcdefg") == 0, "strlcpy truncates and terminates");
    buf[0] = 'x';
    expect(strlcpy(buf, "abc", 0) == 3 && buf[0] == 'x', "strlcpy with size 0 writes nothing");
    strcpy(buf, "ab");
    expect(strlcat(buf, "cd", sizeof buf) == 4 && strcmp(buf, "abcd") == 0, "strlcat appends");
    expect(strlcat(buf, "efghij", sizeof buf) == 10 && strcmp(buf, "abcdefg") == 0, "strlcat truncates and terminates");
    memcpy(buf, "12345678", 8);  // no terminator within size
    expect(strlcat(buf, "xy", sizeof buf) == 10, "strlcat on an unterminated buffer returns size + strlen(src)");
    char *end;
    expect(__isoc23_strtol("-42z", &end, 10) == -42 && *end == 'z', "__isoc23_strtol parses and stops");
    int a = 0, b = 0;
    expect(__isoc23_sscanf("7 9", "%d %d", &a, &b) == 2 && a == 7 && b == 9, "__isoc23_sscanf forwards its arguments");
    if (failures == 0) printf("glibc-compat: 8 cases passed\n");
    return failures != 0;
}
