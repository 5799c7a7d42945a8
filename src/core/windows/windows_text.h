// UTF-8 <-> UTF-16 at the Windows API boundary, and Win32 error codes as text. Everything inside
// devpick is UTF-8; only the Windows Env and process code call the W functions.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_CORE_WINDOWS_WINDOWS_TEXT_H_
#define DEVPICK_SRC_CORE_WINDOWS_WINDOWS_TEXT_H_

#include <string>
#include <string_view>

#include "devpick/status.h"

namespace devpick {

// Invalid sequences become U+FFFD, as MultiByteToWideChar does without MB_ERR_INVALID_CHARS.
std::wstring Utf8ToWide(std::string_view text);
std::string WideToUtf8(std::wstring_view text);

// FormatMessage's text for a GetLastError() code, without its trailing period and newline;
// "error 0x<hex>" when the system has none.
std::string Win32ErrorText(unsigned long code);

// "<context>: <FormatMessage text>", as a Status whose code fits the error (NotFound for a
// missing file or module, PermissionDenied for access denied, IoError otherwise).
Status FromWin32Error(const std::string& context, unsigned long code);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_WINDOWS_WINDOWS_TEXT_H_
