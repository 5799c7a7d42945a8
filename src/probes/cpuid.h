// CPUID and XGETBV on x86-64: the CPU's own account of its vendor, brand and the instruction-set
// extensions that matter for inference, with the operating-system enable checks that /proc/cpuinfo
// already applies (an AVX flag means nothing if the kernel does not save the YMM registers).
//
// Decoding is split from the instruction so that it is a pure function of the raw registers,
// testable on any architecture; ReadCpuid() is the only part that executes CPUID and returns
// nullopt on other architectures. Only the live system may be described this way: a captured tree
// must never be mixed with the CPU that happens to replay it. Facts: research/sysfs.md §6.1.
//
// Thread-safety: pure functions; ReadCpuid() may be called from any thread.
#ifndef DEVPICK_SRC_PROBES_CPUID_H_
#define DEVPICK_SRC_PROBES_CPUID_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace devpick {

// The CPUID leaves (and XCR0) the decoder needs, as the CPU returned them. A leaf the CPU does not
// implement is left zero, which reads as "no features".
struct CpuidRegisters {
  std::uint32_t max_leaf = 0;         // leaf 0 EAX
  std::string vendor;                 // leaf 0 EBX, EDX, ECX: "GenuineIntel", "AuthenticAMD"
  std::uint32_t leaf1_ecx = 0;        // SSE4.2, FMA, OSXSAVE, AVX, F16C
  std::uint32_t leaf7_0_ebx = 0;      // AVX2, AVX512F
  std::uint32_t leaf7_0_ecx = 0;      // AVX512_VNNI
  std::uint32_t leaf7_0_edx = 0;      // AMX, AVX512_FP16
  std::uint32_t leaf7_1_eax = 0;      // AVX_VNNI, AVX512_BF16
  std::optional<std::uint64_t> xcr0;  // XGETBV(0), only read when OSXSAVE is set
  std::string brand;                  // leaves 0x80000002-4, as returned (may be padded)
};

// What CPUID says, in /proc/cpuinfo terms.
struct CpuidInfo {
  std::optional<std::string> vendor;  // absent when the vendor string is empty
  std::optional<std::string> brand;   // trimmed; absent when blank
  std::vector<std::string> flags;     // /proc/cpuinfo spellings, sorted, OS-enabled only
};

// The inference-relevant flags that the registers report and the OS has enabled (XCR0), sorted.
std::vector<std::string> DecodeCpuidFlags(const CpuidRegisters& registers);
// Vendor, trimmed brand and decoded flags.
CpuidInfo DecodeCpuid(const CpuidRegisters& registers);

// Executes CPUID/XGETBV on the calling CPU; nullopt when not built for x86-64 or CPUID reports no
// leaves.
std::optional<CpuidRegisters> ReadCpuidRegisters();
// DecodeCpuid(ReadCpuidRegisters()).
std::optional<CpuidInfo> ReadCpuid();

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_CPUID_H_
