/* A C99 program built against an installed devpick through pkg-config: the C ABI's calls, status
 * codes, error strings and ownership rules as a C caller meets them.
 * Usage: consumer_c SCENARIO_DIR EXPECTED_VERSION */
#include <devpick/devpick.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

static void check(int condition, const char* what, const char* detail) {
  printf("%s: %s%s%s\n", condition ? "ok" : "FAILED", what, detail ? " -- " : "",
         detail ? detail : "");
  if (!condition) ++failures;
}

int main(int argc, char** argv) {
  char path[4096];
  char options[4200];
  devpick_inventory* machine = NULL;
  char* decision = NULL;
  char* error = NULL;
  int code;

  if (argc != 3) {
    fprintf(stderr, "usage: %s SCENARIO_DIR EXPECTED_VERSION\n", argv[0]);
    return 2;
  }
  check(strcmp(devpick_version(), argv[2]) == 0, "devpick_version", devpick_version());
  check(devpick_abi_version() >= DEVPICK_ABI_VERSION, "devpick_abi_version", NULL);

  snprintf(path, sizeof path, "%s/desktop-rtx3080-uhd770-no-openvino.json", argv[1]);
  snprintf(options, sizeof options, "{\"replay\": \"%s\"}", path);
  code = devpick_discover(options, &machine, &error);
  check(code == DEVPICK_OK && machine != NULL && error == NULL, "devpick_discover replay", error);
  devpick_string_free(error);
  if (machine == NULL) return 1;

  /* The OpenVINO-with-NVIDIA machine: OpenVINO gets the Intel iGPU, torch the CPU. */
  code = devpick_select(machine, "{\"backend\": \"openvino\"}", &decision, &error);
  check(code == DEVPICK_OK, "select openvino", error);
  check(decision != NULL &&
            strstr(decision, "\"openvino\": \"GPU\",\n    \"torch\": \"cpu\"") != NULL,
        "openvino native names", decision);
  check(decision != NULL && strstr(decision, "\"pci_address\": \"0000:00:02.0\"") != NULL,
        "openvino device", NULL);
  devpick_string_free(decision);
  devpick_string_free(error);

  code = devpick_select(machine, "{\"backend\": \"rocm\"}", &decision, &error);
  check(code == DEVPICK_NO_DEVICE, "select rocm: no device", error);
  check(decision != NULL && strstr(decision, "\"device\": null") != NULL,
        "select rocm: decision still set", NULL);
  check(error != NULL && strncmp(error, "no eligible device for backend rocm", 35) == 0,
        "select rocm: error", error);
  devpick_string_free(decision);
  devpick_string_free(error);

  code = devpick_select(machine, "{\"backend\": \"cud\"}", &decision, &error);
  check(code == DEVPICK_INVALID && decision == NULL, "select cud: invalid", NULL);
  check(error != NULL && strncmp(error, "unknown backend 'cud'; accepted: cuda, rocm", 43) == 0,
        "select cud: error", error);
  devpick_string_free(error);

  code = devpick_inventory_list_json(machine, &decision, &error);
  check(code == DEVPICK_OK && strstr(decision, "\"backends\": {") != NULL, "list", error);
  devpick_string_free(decision);
  devpick_string_free(error);

  devpick_inventory_free(machine);

  /* This machine, with a runtime probe in a child process: the devpick-probe helper must be found
   * in ../libexec/devpick beside the installed library (the test unsets DEVPICK_PROBE_HELPER). */
  machine = NULL;
  code = devpick_discover("{\"probes\": [\"cpu\", \"opencl\"], \"timeout_ms\": 20000}", &machine,
                          &error);
  check(code == DEVPICK_OK && machine != NULL, "devpick_discover this machine", error);
  devpick_string_free(error);
  if (machine != NULL) {
    code = devpick_inventory_list_json(machine, &decision, &error);
    check(code == DEVPICK_OK && strstr(decision, "\"probe\": \"opencl\"") != NULL,
          "opencl probe ran", error);
    check(decision != NULL && strstr(decision, "devpick-probe was not found") == NULL &&
              strstr(decision, "cannot start") == NULL,
          "probe helper found beside the library", NULL);
    devpick_string_free(decision);
    devpick_string_free(error);
    devpick_inventory_free(machine);
  }
  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
