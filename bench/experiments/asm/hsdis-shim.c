/*
 * HotSpot's disassembler plugin interface, adapted to Debian's libhsdis0-fcml.
 *
 * Since JDK 9 HotSpot looks up decode_instructions_virtual in hsdis-amd64.so; Debian's FCML-based
 * plugin (package libhsdis0-fcml) still exports only the older decode_instructions, which takes the
 * code's own addresses. When HotSpot prints installed code the buffer is the code itself, so the older
 * call gives the same listing. Built by loop.sh into a temporary folder; not part of any build.
 */
#include <dlfcn.h>
#include <stdint.h>

typedef void *(*event_callback)(void *stream, const char *event, void *arg);
typedef int (*printf_callback)(void *stream, const char *format, ...);
typedef void *(*decode_old)(void *start, void *end, event_callback event, void *event_stream,
                            printf_callback printf, void *printf_stream, const char *options);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
                                  uintptr_t length, event_callback event, void *event_stream,
                                  printf_callback printf, void *printf_stream, const char *options,
                                  int newline) {
  static decode_old decode;
  (void) start_va;
  (void) end_va;
  (void) newline;
  if (decode == 0) {
    void *plugin = dlopen(HSDIS_FCML, RTLD_NOW | RTLD_LOCAL);
    if (plugin == 0 || (decode = (decode_old) dlsym(plugin, "decode_instructions")) == 0) {
      return 0;
    }
  }
  return decode(buffer, buffer + length, event, event_stream, printf, printf_stream, options);
}
