/* devpick's C ABI: discovery, selection and snapshots for any language with an FFI.
 *
 * Everything crosses the boundary as JSON text in UTF-8 (the same documents the CLI prints with
 * --json: DESIGN.md "list --json output" and "select --json output", SNAPSHOT.md) and as opaque
 * handles, so the ABI does not change when the C++ model grows. Strings returned by the library are
 * owned by the caller and released with devpick_string_free; handles with devpick_inventory_free.
 *
 * Every function that can fail returns a status code that mirrors the CLI's exit status
 * (DEVPICK_OK, DEVPICK_INTERNAL, DEVPICK_INVALID, DEVPICK_NO_DEVICE) and, when `error` is not NULL,
 * stores in *error a message the caller must free: the same text the CLI prints after "devpick: ",
 * e.g. "unknown backend 'cud'; accepted: cuda, ...". On success *error is set to NULL. Out
 * parameters are always set (NULL when there is nothing to return), so freeing them
 * unconditionally is safe.
 *
 * The library never prints, never exits and never lets a C++ exception escape. It reads the process
 * environment (DEVPICK_PROBE_HELPER, the visibility variables recorded in an inventory) but never
 * changes it; the environment assignments of a decision are returned for the caller to make.
 *
 * Thread-safety: every function may be called concurrently from several threads. A handle is
 * immutable after devpick_discover returns it, so several threads may list, snapshot and select on
 * the same handle at once; only devpick_inventory_free must not race with other uses of its handle.
 *
 * Functions are only ever added (DEVPICK_ABI_VERSION counts them); the soname changes only when a
 * function is removed or changes meaning.
 */
#ifndef DEVPICK_DEVPICK_H_
#define DEVPICK_DEVPICK_H_

#if defined(_WIN32)
#define DEVPICK_API __declspec(dllexport)
#else
#define DEVPICK_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes; the same numbers as the CLI's exit statuses. */
enum {
  DEVPICK_OK = 0,
  DEVPICK_INTERNAL = 1,  /* a bug in devpick, or out of memory */
  DEVPICK_INVALID = 2,   /* bad options, request or snapshot: the message says what is accepted */
  DEVPICK_NO_DEVICE = 3, /* a valid request that no device satisfies; the decision is still set */
  DEVPICK_PROBLEMS = 4,  /* doctor found a problem that blocks the backend; the report is set */
};

/* Incremented when functions are added; a caller can check for what it needs. */
#define DEVPICK_ABI_VERSION 1

/* A discovered (or replayed) machine: observations and the inventory correlated from them. */
typedef struct devpick_inventory devpick_inventory;

/* The library's version, e.g. "0.1.0". Static storage; do not free. */
DEVPICK_API const char* devpick_version(void);
/* DEVPICK_ABI_VERSION of the library actually loaded. */
DEVPICK_API int devpick_abi_version(void);

/* Probes this machine, or replays a snapshot, and correlates the result into *out.
 *
 * options_json may be NULL or "{}" for the defaults; otherwise an object with any of:
 *   "probes":        ["sysfs", "cpu", ...]  run only these (default: every probe)
 *   "no_probe":      ["vulkan", ...]        do not run these
 *   "timeout_ms":    5000                   per runtime probe, a positive integer
 *   "in_process":    false                  run runtime probes in this process (default: isolated
 *                                           child processes of the devpick-probe helper)
 *   "probe_helper":  "/path/devpick-probe"  the helper (default: $DEVPICK_PROBE_HELPER, then next
 *                                           to libdevpick.so, then ../libexec/devpick beside it,
 *                                           then the executable's directory and the installed
 *                                           libexec directory)
 *   "replay":        "machine.json"         read a snapshot file instead of probing
 *   "snapshot_json": "{...}"                a snapshot document's text instead of probing
 *   "root":          "/captured/tree"       read sysfs/procfs under this directory; runtime probes
 *                                           are skipped
 * Unknown keys and wrong types are DEVPICK_INVALID. "replay", "snapshot_json" and "root" exclude
 * one another. A probe that fails is not an error: it is a diagnostic in the inventory. */
DEVPICK_API int devpick_discover(const char* options_json, devpick_inventory** out, char** error);

/* The `devpick list --json` document: {"devices": [...], "diagnostics": [...], "backends": {...}}.
 */
DEVPICK_API int devpick_inventory_list_json(const devpick_inventory* inventory, char** json_out,
                                            char** error);

/* The snapshot document (SNAPSHOT.md) of what the probes observed; devpick_discover accepts it back
 * as "snapshot_json", the CLI as `--replay FILE`. */
DEVPICK_API int devpick_inventory_snapshot_json(const devpick_inventory* inventory, char** json_out,
                                                char** error);

/* The device a backend should use: the `devpick select --json` document in *decision_json.
 *
 * request_json may be NULL or "{}" (recommend a backend and a device); otherwise an object with:
 *   "backend":    "openvino" | null   a backend or alias (null: recommend one)
 *   "device":     "dgpu,igpu" | null  a device spec list (DESIGN.md "Device spec grammar")
 *   "policy":     "performance"       performance | efficiency | memory | measured
 *   "fallback":   "none"              none | cpu
 *   "min_memory": "6GiB" | 6442450944 a size string or a number of bytes
 *   "exclude":    ["igpu"]            spec items to leave out (or one comma-separated string)
 *   "isolate":    false               emit every environment assignment, not only the needed ones
 * The request is taken as given: DEVPICK_* variables and devpick.toml files are the CLI's
 * configuration and are not read here.
 *
 * "measured" runs verify's SGEMM on each eligible device, each in a devpick-probe child process
 * (no context is created in the caller's process), one after another, or reads the figure cached
 * in $XDG_CACHE_HOME/devpick/measured.json for the same device, driver and runtime; it takes
 * seconds per device when nothing is cached. It needs an inventory discovered on this machine:
 * for a replayed snapshot or a captured tree it is DEVPICK_INVALID.
 *
 * DEVPICK_NO_DEVICE: *decision_json holds the decision with "device": null and its "error", and
 * *error the same message. DEVPICK_INVALID: *decision_json is NULL. */
DEVPICK_API int devpick_select(const devpick_inventory* inventory, const char* request_json,
                               char** decision_json, char** error);

/* `devpick doctor --json`: problems with evidence and remedies, {"backend", "findings": [{code,
 * severity, device_id, message, evidence, remedy, backends}], "errors", "warnings"}.
 *
 * request_json may be NULL or "{}" (judge for every backend); otherwise an object with:
 *   "backend": "cuda" | null     judge the machine for this backend (errors about others become
 *                                warnings)
 *   "python":  "/path/venv"      also inspect this Python environment (a venv directory or an
 *                                interpreter) on this machine, without running it: whether its
 *                                torch, openvino and onnxruntime builds fit the backend. Not with
 *                                an inventory from a snapshot.
 * DEVPICK_PROBLEMS: an error-severity finding concerns the backend (any backend when none is
 * given); *report_json is set as for DEVPICK_OK and *error is NULL. */
DEVPICK_API int devpick_inventory_doctor_json(const devpick_inventory* inventory,
                                              const char* request_json, char** report_json,
                                              char** error);

/* Releases a handle from devpick_discover; NULL is ignored. */
DEVPICK_API void devpick_inventory_free(devpick_inventory* inventory);
/* Releases a string returned by any devpick function; NULL is ignored. */
DEVPICK_API void devpick_string_free(char* text);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DEVPICK_DEVPICK_H_ */
