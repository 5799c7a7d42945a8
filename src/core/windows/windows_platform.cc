#include "core/platform.h"

namespace devpick {

Platform ThisPlatform() { return Platform::kWindows; }

}  // namespace devpick
