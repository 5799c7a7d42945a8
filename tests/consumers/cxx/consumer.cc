// A C++ program built against an installed devpick through find_package(devpick): the C ABI with
// RAII ownership, linked to devpick::devpick (libdevpick.so) or devpick::devpick_static
// (libdevpick.a, which also carries the C++ API of the installed headers).
// Usage: consumer_cxx SCENARIO_DIR EXPECTED_VERSION
#include <devpick/devpick.h>

#include <cstdio>
#include <memory>
#include <string>

#ifdef DEVPICK_CONSUMER_CXX_API
#include <devpick/select.h>
#endif

namespace {

struct StringFree {
  void operator()(char* text) const { devpick_string_free(text); }
};
using String = std::unique_ptr<char, StringFree>;
struct InventoryFree {
  void operator()(devpick_inventory* inventory) const { devpick_inventory_free(inventory); }
};
using Machine = std::unique_ptr<devpick_inventory, InventoryFree>;

int failures = 0;

void Check(bool condition, const std::string& what, const char* detail = nullptr) {
  std::printf("%s: %s%s%s\n", condition ? "ok" : "FAILED", what.c_str(), detail ? " -- " : "",
              detail ? detail : "");
  if (!condition) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SCENARIO_DIR EXPECTED_VERSION\n", argv[0]);
    return 2;
  }
  Check(std::string(devpick_version()) == argv[2], "devpick_version", devpick_version());

  std::string options =
      std::string("{\"replay\": \"") + argv[1] + "/desktop-arc-a770-uhd770.json\"}";
  devpick_inventory* raw_machine = nullptr;
  char* raw_error = nullptr;
  int code = devpick_discover(options.c_str(), &raw_machine, &raw_error);
  Machine machine(raw_machine);
  String error(raw_error);
  Check(code == DEVPICK_OK && machine != nullptr, "devpick_discover replay", error.get());
  if (!machine) return 1;

  // The Arc machine: OpenVINO gets the discrete Arc (GPU.1), not OpenVINO's default iGPU.
  char* raw_decision = nullptr;
  code = devpick_select(machine.get(), R"({"backend": "openvino"})", &raw_decision, &raw_error);
  String decision(raw_decision);
  error.reset(raw_error);
  Check(code == DEVPICK_OK, "select openvino", error.get());
  std::string text = decision ? decision.get() : "";
  Check(text.find("\"openvino\": \"GPU.1\"") != std::string::npos, "openvino native name",
        text.c_str());
  Check(text.find("\"pci_address\": \"0000:03:00.0\"") != std::string::npos, "openvino device");

  code = devpick_select(machine.get(), R"({"backend": "xpu", "device": "igpu"})", &raw_decision,
                        nullptr);
  decision.reset(raw_decision);
  text = decision ? decision.get() : "";
  Check(code == DEVPICK_OK && text.find("\"torch\": \"xpu:1\"") != std::string::npos,
        "select xpu igpu", text.c_str());

  char* raw_snapshot = nullptr;
  code = devpick_inventory_snapshot_json(machine.get(), &raw_snapshot, nullptr);
  String snapshot(raw_snapshot);
  Check(code == DEVPICK_OK &&
            std::string(snapshot.get()).find("\"devpick_snapshot\": 1") != std::string::npos,
        "snapshot");

#ifdef DEVPICK_CONSUMER_CXX_API
  // The installed C++ headers compile on their own and link from libdevpick.a.
  devpick::Result<std::uint64_t> size = devpick::ParseByteSize("6GiB");
  Check(size.ok() && *size == 6442450944u, "C++ API ParseByteSize");
  Check(devpick::FormatByteSize(1610612736) == "1.5 GiB", "C++ API FormatByteSize");
  Check(devpick::CanonicalBackend("ipex").value_or("") == "xpu", "C++ API CanonicalBackend");
#endif

  std::printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
