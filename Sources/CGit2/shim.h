// System-library shim: exposes the Debian package's C header to Swift.
#include <git2.h>
