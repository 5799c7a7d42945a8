# devpick: `make run` and `make test` do all the set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Debian packages the build, the tests and the real runtimes need.
PACKAGES := cmake g++ make pkg-config nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libfmt-dev \
  libgtest-dev libgmock-dev libbenchmark-dev hwdata pciutils \
  ocl-icd-libopencl1 ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd clinfo \
  libvulkan1 libvulkan-dev mesa-vulkan-drivers vulkan-tools glslang-tools libze1 libze-dev clang-14 \
  python3 python3-pytest python3-setuptools python3-wheel hwloc-nox zlib1g-dev

.PHONY: all deps build run test clean format bench
all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "devpick: installing missing Debian packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/devpick

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@command -v hyperfine >/dev/null || $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq hyperfine
	./bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)

# Reliability (RELIABILITY.md): the whole suite under ASan + UBSan in its own build directory, and
# the libFuzzer targets (clang) run for FUZZ_SECONDS each.
SANITIZE_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev
# Fake vendor libraries crash on purpose (SIGSEGV) and the isolation tests expect the signal, so
# ASan must not turn it into its own report. The tests that run the installed OpenCL and Vulkan
# drivers (verify, RealRuntimes, the measured policy's MeasureDevices and MeasuredCli) run without
# LeakSanitizer: PoCL and Mesa leak at exit, and the
# Vulkan loader unloads Mesa before LSan could name it in a suppression. Everything else runs with
# leak detection on (fuzz/lsan.supp covers driver libraries that other tests touch). No alternate
# signal stacks: without handle_segv ASan needs none, and unmapping one at the exit of a thread that
# ran a driver failed now and then ("unable to unmap") and killed the test.
SANITIZE_ASAN := handle_segv=0:use_sigaltstack=0:abort_on_error=1:strict_string_checks=1
SANITIZE_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SANITIZE_DRIVER_TESTS := Verify|RealRuntimes|MeasureDevices|MeasuredCli

.PHONY: test-sanitize fuzz
test-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD) -DDEVPICK_SANITIZE=ON -DDEVPICK_BUILD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && $(SANITIZE_ENV) ASAN_OPTIONS=$(SANITIZE_ASAN):detect_leaks=1 \
	  ctest --output-on-failure -j $(JOBS) -E '$(SANITIZE_DRIVER_TESTS)'
	cd $(SANITIZE_BUILD) && $(SANITIZE_ENV) ASAN_OPTIONS=$(SANITIZE_ASAN):detect_leaks=0 \
	  ctest --output-on-failure -j $(JOBS) -R '$(SANITIZE_DRIVER_TESTS)'

fuzz:
	@$(MAKE) --no-print-directory deps PACKAGES="$(PACKAGES) $(FUZZ_PACKAGES)"
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DDEVPICK_FUZZ=ON -DDEVPICK_SANITIZE=ON -DDEVPICK_BUILD_TESTS=OFF -DDEVPICK_BUILD_BENCHMARKS=OFF
	cmake --build $(FUZZ_BUILD) --target fuzzers -j $(JOBS)
	./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Windows (issue 14): devpick cross-built with MinGW-w64 (the -posix compilers: GCC 12's win32
# thread model has no std::mutex) and tested under Wine. `make windows` builds devpick.exe,
# devpick-probe.exe and the portable test suites in $(WINDOWS_BUILD); `make test-windows` runs them
# under Wine, then checks the CLI end to end on a replayed snapshot.
WINDOWS_BUILD ?= build-windows
WINDOWS_PACKAGES := cmake make g++-mingw-w64-x86-64 wine64 xvfb xauth libz-mingw-w64-dev \
  nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libfmt-dev googletest ccache
WINDOWS_CMAKE_FLAGS ?=

.PHONY: deps-windows windows test-windows
deps-windows:
	@$(MAKE) --no-print-directory deps PACKAGES="$(WINDOWS_PACKAGES)"

$(WINDOWS_BUILD)/CMakeCache.txt:
	cmake -S . -B $(WINDOWS_BUILD) -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/mingw-w64-x86_64.cmake \
	  -DDEVPICK_BUILD_BENCHMARKS=OFF $(WINDOWS_CMAKE_FLAGS)

windows: deps-windows $(WINDOWS_BUILD)/CMakeCache.txt
	cmake --build $(WINDOWS_BUILD) -j $(JOBS)

# Wine runs in its own prefix inside the build directory, with its chatter off. It is started
# before ctest with its output detached: otherwise wineserver and its services inherit ctest's
# pipe and ctest waits for them forever. wineserver -p keeps one server for all the test
# processes; it refuses to start a second one when a server for the prefix is still running.
WINE := WINEPREFIX=$(CURDIR)/$(WINDOWS_BUILD)/wineprefix WINEDEBUG=-all
test-windows: windows
	mkdir -p $(WINDOWS_BUILD)/wineprefix
	$(WINE) /usr/lib/wine/wineserver -p 2>/dev/null || true
	$(WINE) /usr/lib/wine/wine64 wineboot -i </dev/null >/dev/null 2>&1
	cd $(WINDOWS_BUILD) && $(WINE) ctest --output-on-failure -j $(JOBS) -LE 'linux-only|windows-pending'
	$(WINE) tests/windows/e2e.sh $(WINDOWS_BUILD)
