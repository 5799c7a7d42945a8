// Parsers for the small text files the kernel exposes in sysfs and procfs.
//
// Each parser takes the raw file contents (as read, trailing newline included) and returns the
// value or a Status whose message says what was expected and quotes what was found, e.g. `expected
// a hex number such as 0x030000, got "zz"`. Callers prefix the path. Parsers are strict: a value
// with trailing junk is garbage, because a half-written or corrupted attribute must not be mistaken
// for a real one. Quoted text is shortened and escaped so that binary garbage in a file cannot
// produce an unreadable or invalid-UTF-8 warning.
//
// Formats are those in research/sysfs.md: PCI attributes "0x%04x\n", decimal "%d\n"/"%llu\n",
// cpulists "0-3,8-11", KFD "key value" lines, /proc/driver/nvidia text.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_PROBES_SYSFS_ATTR_H_
#define DEVPICK_SRC_PROBES_SYSFS_ATTR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

// `text` without leading and trailing ASCII whitespace.
std::string_view TrimWhitespace(std::string_view text);

// `text` as it should appear inside quotes in a message: at most 40 bytes (then "..."), with
// control characters, quotes, backslashes and non-ASCII bytes written as \xNN.
std::string QuoteForMessage(std::string_view text);

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, so that
// free text from a file (a GPU model, a kernel release) can always be written to JSON.
std::string ValidUtf8(std::string_view text);

// A PCI attribute such as "0x10de\n": "0x" then 1-8 hex digits, no larger than `max`. `example` is
// shown in the error, e.g. "0x030000" for class.
Result<std::uint32_t> ParseHexAttribute(std::string_view text, std::uint32_t max,
                                        std::string_view example);

// A signed decimal such as "-1\n" (numa_node) that fits in an int.
Result<int> ParseDecimalInt(std::string_view text);
// An unsigned decimal such as "25753026560\n" (mem_info_vram_total) that fits in 64 bits.
Result<std::uint64_t> ParseDecimalU64(std::string_view text);

// A cpulist such as "0-3,8,10-11\n" (sorted, duplicates removed). An empty list is valid.
Result<std::vector<int>> ParseCpuList(std::string_view text);

// "key value" lines, as in KFD properties files. Keys are unique; blank lines are skipped.
Result<std::map<std::string, std::string>> ParseKeyValueLines(std::string_view text);

// /proc/driver/nvidia/gpus/<address>/information: Model, GPU UUID, Device Minor. Unknown lines are
// ignored; a Device Minor that is not a number is an error.
Result<NvidiaProcfsGpu> ParseNvidiaInformation(std::string_view text);

// The driver version in /proc/driver/nvidia/version ("NVRM version: NVIDIA UNIX x86_64 Kernel
// Module  550.54.14  Thu Feb 22 ..."): the first token of the NVRM line shaped like 550.54 or
// 550.54.14.
Result<std::string> ParseNvidiaVersion(std::string_view text);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_SYSFS_ATTR_H_
