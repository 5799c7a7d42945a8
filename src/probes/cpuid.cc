#include "probes/cpuid.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace devpick {
namespace {

// XCR0 state components the OS must save before a register file may be used (SDM vol. 1 §13).
constexpr std::uint64_t kXcr0Avx = (1u << 1) | (1u << 2);                            // SSE, YMM
constexpr std::uint64_t kXcr0Avx512 = kXcr0Avx | (1u << 5) | (1u << 6) | (1u << 7);  // + k, ZMM
constexpr std::uint64_t kXcr0Amx = (1u << 17) | (1u << 18);  // XTILECFG, XTILEDATA

constexpr int kOsxsaveBit = 27;  // leaf 1 ECX: the OS has enabled XGETBV

struct FlagBit {
  const char* name;  // /proc/cpuinfo spelling
  std::uint32_t CpuidRegisters::*reg;
  int bit;
  std::uint64_t xcr0_mask;  // 0: usable without OS state support
};

// The flags inference engines dispatch on (research/sysfs.md §6.1), sorted by name.
constexpr FlagBit kFlagBits[] = {
    {"amx_bf16", &CpuidRegisters::leaf7_0_edx, 22, kXcr0Amx},
    {"amx_int8", &CpuidRegisters::leaf7_0_edx, 25, kXcr0Amx},
    {"amx_tile", &CpuidRegisters::leaf7_0_edx, 24, kXcr0Amx},
    {"avx", &CpuidRegisters::leaf1_ecx, 28, kXcr0Avx},
    {"avx2", &CpuidRegisters::leaf7_0_ebx, 5, kXcr0Avx},
    {"avx512_bf16", &CpuidRegisters::leaf7_1_eax, 5, kXcr0Avx512},
    {"avx512_fp16", &CpuidRegisters::leaf7_0_edx, 23, kXcr0Avx512},
    {"avx512_vnni", &CpuidRegisters::leaf7_0_ecx, 11, kXcr0Avx512},
    {"avx512f", &CpuidRegisters::leaf7_0_ebx, 16, kXcr0Avx512},
    {"avx_vnni", &CpuidRegisters::leaf7_1_eax, 4, kXcr0Avx},
    {"f16c", &CpuidRegisters::leaf1_ecx, 29, kXcr0Avx},
    {"fma", &CpuidRegisters::leaf1_ecx, 12, kXcr0Avx},
    {"sse4_2", &CpuidRegisters::leaf1_ecx, 20, 0},
};

std::optional<std::string> Trimmed(std::string_view text) {
  constexpr std::string_view kBlank = " \t\n\r";
  std::size_t start = text.find_first_not_of(kBlank);
  if (start == std::string_view::npos) return std::nullopt;
  std::size_t end = text.find_last_not_of(kBlank);
  return std::string(text.substr(start, end - start + 1));
}

#if defined(__x86_64__)
std::string RegisterBytes(std::initializer_list<std::uint32_t> words) {
  std::string bytes;
  for (std::uint32_t word : words) {
    char chunk[4];
    std::memcpy(chunk, &word, sizeof chunk);
    bytes.append(chunk, sizeof chunk);
  }
  return bytes;
}

std::uint64_t ReadXcr0() {
  std::uint32_t low = 0;
  std::uint32_t high = 0;
  // XGETBV by opcode rather than _xgetbv(), which needs the whole file built with -mxsave.
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (std::uint64_t{high} << 32) | low;
}
#endif

}  // namespace

std::vector<std::string> DecodeCpuidFlags(const CpuidRegisters& registers) {
  bool osxsave = (registers.leaf1_ecx >> kOsxsaveBit) & 1u;
  std::uint64_t xcr0 = osxsave ? registers.xcr0.value_or(0) : 0;
  std::vector<std::string> flags;
  for (const FlagBit& flag : kFlagBits) {
    bool present = (registers.*flag.reg >> flag.bit) & 1u;
    if (present && (xcr0 & flag.xcr0_mask) == flag.xcr0_mask) flags.emplace_back(flag.name);
  }
  std::sort(flags.begin(), flags.end());
  return flags;
}

CpuidInfo DecodeCpuid(const CpuidRegisters& registers) {
  // The brand string is NUL-padded to 48 bytes (and Intel pads it with leading spaces).
  std::string_view brand = registers.brand;
  brand = brand.substr(0, brand.find('\0'));
  std::string_view vendor = registers.vendor;
  vendor = vendor.substr(0, vendor.find('\0'));
  return CpuidInfo{
      .vendor = Trimmed(vendor), .brand = Trimmed(brand), .flags = DecodeCpuidFlags(registers)};
}

std::optional<CpuidRegisters> ReadCpuidRegisters() {
#if defined(__x86_64__)
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0, &eax, &ebx, &ecx, &edx) == 0 || eax == 0) return std::nullopt;
  CpuidRegisters registers;
  registers.max_leaf = eax;
  registers.vendor = RegisterBytes({ebx, edx, ecx});
  __cpuid(1, eax, ebx, ecx, edx);
  registers.leaf1_ecx = ecx;
  if (registers.max_leaf >= 7) {
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    registers.leaf7_0_ebx = ebx;
    registers.leaf7_0_ecx = ecx;
    registers.leaf7_0_edx = edx;
    std::uint32_t max_subleaf = eax;
    if (max_subleaf >= 1) {
      __cpuid_count(7, 1, eax, ebx, ecx, edx);
      registers.leaf7_1_eax = eax;
    }
  }
  // XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID mirrors in leaf 1 ECX[27].
  if ((registers.leaf1_ecx >> kOsxsaveBit) & 1u) registers.xcr0 = ReadXcr0();
  unsigned int max_extended = __get_cpuid_max(0x80000000u, nullptr);
  if (max_extended >= 0x80000004u) {
    for (unsigned int leaf = 0x80000002u; leaf <= 0x80000004u; ++leaf) {
      __cpuid(leaf, eax, ebx, ecx, edx);
      registers.brand += RegisterBytes({eax, ebx, ecx, edx});
    }
  }
  return registers;
#else
  return std::nullopt;
#endif
}

std::optional<CpuidInfo> ReadCpuid() {
  std::optional<CpuidRegisters> registers = ReadCpuidRegisters();
  if (!registers) return std::nullopt;
  return DecodeCpuid(*registers);
}

}  // namespace devpick
