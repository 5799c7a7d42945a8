#include "core/platform.h"

namespace devpick {

// The POSIX build is the Linux build: its Env and process code use Linux's /proc and prctl.
Platform ThisPlatform() { return Platform::kLinux; }

}  // namespace devpick
