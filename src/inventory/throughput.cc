#include "inventory/throughput.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace devpick {
namespace {

// One architecture family. `arch` ends in '*' to match a prefix (case-insensitive); rows are tried
// in order, so specific rows come before their family.
struct ArchRow {
  Vendor vendor;
  std::string_view arch;
  int fp32_lanes_per_unit;
  double fp16_ratio;  // vector FP16 rate relative to FP32
  std::string_view source;
};

// Lanes per unit from public vendor specifications:
//  NVIDIA: "CUDA cores per SM" in the architecture whitepapers (Maxwell GM204, Pascal GP100/GP104,
//   Volta GV100, Turing TU102, Ampere GA100/GA102, Ada AD102, Hopper GH100, Blackwell) and the CUDA
//   C Programming Guide table "Throughput of Native Arithmetic Instructions" for the FP16 ratios.
//   Check: RTX 3080 = 68 SM × 128 × 2 × 1.71 GHz = 29.8 TFLOPS, NVIDIA's published figure.
//  AMD: "stream processors" per compute unit in the Radeon/Instinct product specifications (64 for
//   GCN/CDNA/RDNA1-2; 128 for RDNA3/RDNA4/CDNA4 where AMD's peak figures count dual issue). Check:
//   RX 6800 = 60 CU × 64 × 2 × 2.105 GHz = 16.2 TFLOPS; RX 7900 XTX = 96 × 128 × 2 × 2.5 = 61.4.
//  Intel: 8 FP32 lanes per EU (Gen9 to Xe-HPG: "SIMD8 FPU"), 16 per vector engine from Xe-HPC and
//   Xe2 on (Intel Arc/Data Center GPU product briefs). Check: Arc A770 = 512 EU × 8 × 2 × 2.4 GHz =
//   19.7 TFLOPS; Arc B580 = 160 XVE × 16 × 2 × 2.67 GHz = 13.7 TFLOPS.
//  Apple: 128 ALUs per GPU core (Apple M1 announcement: 8 cores, 1024 ALUs, 2.6 TFLOPS).
constexpr ArchRow kArchRows[] = {
    {Vendor::kNvidia, "sm_53", 128, 2.0, "NVIDIA Maxwell Tegra X1, 128 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_5*", 128, 1.0, "NVIDIA Maxwell whitepaper, 128 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_60", 64, 2.0, "NVIDIA Pascal GP100 whitepaper, 64 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_61", 128, 1.0 / 64, "NVIDIA Pascal GP104 whitepaper, 128 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_62", 128, 2.0, "NVIDIA Pascal Tegra, 128 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_7*", 64, 2.0, "NVIDIA Volta/Turing whitepapers, 64 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_80", 64, 4.0, "NVIDIA Ampere GA100 whitepaper, 64 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_8*", 128, 1.0, "NVIDIA Ampere GA10x/Ada whitepapers, 128 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_90", 128, 2.0, "NVIDIA Hopper GH100 whitepaper, 128 FP32 lanes/SM"},
    {Vendor::kNvidia, "sm_1*", 128, 1.0, "NVIDIA Blackwell whitepaper, 128 FP32 lanes/SM"},
    {Vendor::kAmd, "gfx8*", 64, 1.0, "AMD GCN3/4 specifications, 64 FP32 lanes/CU"},
    {Vendor::kAmd, "gfx950", 128, 2.0, "AMD Instinct CDNA4 specifications, 128 FP32 lanes/CU"},
    {Vendor::kAmd, "gfx9*", 64, 2.0, "AMD Vega/CDNA specifications, 64 FP32 lanes/CU"},
    {Vendor::kAmd, "gfx10*", 64, 2.0, "AMD RDNA1/RDNA2 specifications, 64 FP32 lanes/CU"},
    {Vendor::kAmd, "gfx11*", 128, 2.0, "AMD RDNA3 specifications, 128 FP32 lanes/CU (dual issue)"},
    {Vendor::kAmd, "gfx12*", 128, 2.0, "AMD RDNA4 specifications, 128 FP32 lanes/CU (dual issue)"},
    {Vendor::kIntel, "xe-hpc*", 16, 2.0, "Intel Xe-HPC product brief, 16 FP32 lanes/vector engine"},
    {Vendor::kIntel, "xe2*", 16, 2.0, "Intel Xe2 product briefs, 16 FP32 lanes/vector engine"},
    {Vendor::kIntel, "xe3*", 16, 2.0, "Intel Xe3 product briefs, 16 FP32 lanes/vector engine"},
    {Vendor::kIntel, "xe*", 8, 2.0, "Intel Xe-LP/Xe-HPG product briefs, 8 FP32 lanes/EU"},
    {Vendor::kIntel, "gen*", 8, 2.0, "Intel Gen9/Gen11 graphics architecture, 8 FP32 lanes/EU"},
    {Vendor::kApple, "*", 128, 2.0, "Apple M-series GPU, 128 FP32 ALUs/core"},
};

// FP32 operations per cycle per core, widest vector FMA first (Intel 64 and IA-32 Optimization
// Reference Manual port tables; AMD Zen 4 executes AVX-512 on 256-bit units; Arm Neoverse/Cortex-A
// cores have two 128-bit FMA pipes).
struct CpuRow {
  std::string_view flag;
  std::string_view vendor;  // "" = any
  int fp32_flops_per_cycle;
  std::string_view source;
};
constexpr CpuRow kCpuRows[] = {
    {"avx512f", "AuthenticAMD", 32, "AVX-512 on 256-bit FMA units (AMD Zen 4)"},
    {"avx512f", "", 64, "2 AVX-512 FMA units"},
    {"fma", "", 32, "2 AVX2 FMA units"},
    {"avx", "", 16, "AVX add + multiply"},
    {"sve", "", 16, "2 128-bit SVE FMA pipes"},
    {"asimd", "", 16, "2 128-bit NEON FMA pipes"},
    {"sse2", "", 8, "SSE add + multiply"},
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ArchMatches(std::string_view pattern, const std::string& arch) {
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return arch.compare(0, pattern.size(), pattern) == 0;
  }
  return arch == pattern;
}

}  // namespace

std::optional<ThroughputEstimate> EstimateThroughput(Vendor vendor, std::string_view arch,
                                                     int units, int clock_mhz) {
  if (units <= 0 || clock_mhz <= 0) return std::nullopt;
  std::string key = Lower(arch);
  for (const ArchRow& row : kArchRows) {
    if (row.vendor != vendor || !ArchMatches(row.arch, key)) continue;
    double fp32 = 2.0 * units * row.fp32_lanes_per_unit * clock_mhz / 1e6;
    return ThroughputEstimate{.fp32_tflops = fp32,
                              .fp16_tflops = fp32 * row.fp16_ratio,
                              .source = "est. " + std::string(row.source)};
  }
  return std::nullopt;
}

std::optional<ThroughputEstimate> EstimateCpuThroughput(const CpuObservation& cpu) {
  std::optional<int> cores = cpu.cores ? cpu.cores : cpu.threads;
  if (!cores || *cores <= 0 || !cpu.max_mhz || *cpu.max_mhz <= 0) return std::nullopt;
  double usable_cores = *cores;
  if (cpu.cgroup_cpu_limit && *cpu.cgroup_cpu_limit > 0) {
    usable_cores = std::min(usable_cores, std::ceil(*cpu.cgroup_cpu_limit));
  }
  auto has = [&](std::string_view flag) {
    return std::find(cpu.flags.begin(), cpu.flags.end(), flag) != cpu.flags.end();
  };
  for (const CpuRow& row : kCpuRows) {
    if (!has(row.flag) || (!row.vendor.empty() && cpu.vendor != row.vendor)) continue;
    double fp32 = usable_cores * row.fp32_flops_per_cycle * *cpu.max_mhz / 1e6;
    bool native_fp16 = has("avx512_fp16") || has("asimdhp");
    return ThroughputEstimate{.fp32_tflops = fp32,
                              .fp16_tflops = native_fp16 ? 2 * fp32 : fp32,
                              .source = "est. " + std::string(row.source) + " per core"};
  }
  return std::nullopt;
}

}  // namespace devpick
