// The Python environment check of `devpick doctor --python PATH`: which ML packages a venv or an
// interpreter's prefix holds, read from their installed metadata, and whether they fit a backend.
//
// Nothing is run or imported: importing torch takes seconds and can initialise CUDA. The packages
// are read through the Env from `<site-packages>/*.dist-info/METADATA` (`Name:` and `Version:`
// headers; the directory name when METADATA is unreadable) and `*.egg-info/PKG-INFO`. The torch
// build comes from its local version label (`2.5.1+cu124`, `+rocm6.2`, `+xpu`, `+cpu`), which the
// PyTorch wheel indexes put there; a plain version is PyPI's default build, CUDA on Linux x86-64
// when the nvidia-cuda-runtime-cu* wheel is installed beside it.
//
// Thread-safety: pure functions over their arguments; the Env must be safe for concurrent use.
#ifndef DEVPICK_SRC_DOCTOR_PYTHON_ENV_H_
#define DEVPICK_SRC_DOCTOR_PYTHON_ENV_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/doctor.h"
#include "devpick/env.h"
#include "devpick/status.h"

namespace devpick {

struct PythonPackage {
  std::string name;     // normalised (PEP 503): "intel-extension-for-pytorch"
  std::string version;  // as installed: "2.5.1+cu124"
  std::string source;   // the metadata file or directory it was read from
};

struct PythonEnvironment {
  std::string path;                        // as given
  std::vector<std::string> site_packages;  // the directories read, in search order
  std::vector<PythonPackage> packages;     // sorted by name; the first site-packages wins
  std::vector<std::string> warnings;       // unreadable metadata, "<path>: <reason>"
  // The virtual environment's directory (the one holding pyvenv.cfg) when `path` is in one; empty
  // for a system prefix, a conda environment or anything else. Only a venv may be replaced, and
  // even then remedies create a new one beside it and leave it as it is.
  std::string venv;

  const PythonPackage* Find(std::string_view normalized_name) const;
};

// PEP 503: lower case, runs of '-', '_' and '.' become one '-' ("Torch_DirectML" ->
// "torch-directml").
std::string NormalizePackageName(std::string_view name);

// `path` is a virtual environment or prefix (a directory: PATH/lib/python3.*/site-packages,
// PATH/lib64/..., PATH/Lib/site-packages on Windows, Debian's PATH/lib/python3/dist-packages and
// PATH/local/lib/python3.*/dist-packages), a site-packages directory itself, or an interpreter
// (PATH/../.. is its prefix, without following the venv's symlink to the system interpreter).
// Errors: "<path>: No such file or directory", "<path>: not a Python environment: it is a character
// device (give ...)" for anything but a directory or a regular file, or "<path>: no site-packages
// or dist-packages directory (looked for <patterns>)".
Result<PythonEnvironment> InspectPythonEnvironment(const Env& env, const std::string& path);

// The build a package targets: cuda, rocm, xpu, directml, openvino, cpu, or "" when it says
// nothing (a package devpick does not classify, or a plain torch without CUDA wheels beside it).
std::string PackageBackend(const PythonPackage& package, const PythonEnvironment& environment);

// Findings about the environment for `backend` (canonical name, or nullopt: only the summary and
// mixed stacks): python_packages (info), python_torch_mismatch, python_package_missing,
// python_mixed_backends, python_onnxruntime_conflict.
std::vector<Finding> DiagnosePythonEnvironment(const PythonEnvironment& environment,
                                               const std::optional<std::string>& backend);

}  // namespace devpick

#endif  // DEVPICK_SRC_DOCTOR_PYTHON_ENV_H_
