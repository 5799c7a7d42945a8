// The operating system this build of devpick runs on, for the few tables that say where a row
// applies (the probe registry's ProbePlatforms). Implemented once per platform subfolder
// (src/core/posix/, src/core/windows/), so shared code asks instead of testing macros.
//
// Thread-safety: a constant.
#ifndef DEVPICK_SRC_CORE_PLATFORM_H_
#define DEVPICK_SRC_CORE_PLATFORM_H_

namespace devpick {

enum class Platform { kLinux, kWindows, kMacos };

// The platform devpick was built for.
Platform ThisPlatform();

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_PLATFORM_H_
