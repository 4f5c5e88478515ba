// System-library shim: exposes the Debian package's C header to Swift.
#include <cblas.h>
