# devpick: `make run` and `make test` do all the set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Debian packages the build, the tests and the real runtimes need.
PACKAGES := cmake g++ make pkg-config nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libfmt-dev \
  libgtest-dev libgmock-dev libbenchmark-dev hwdata pciutils \
  ocl-icd-libopencl1 ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd clinfo \
  libvulkan1 libvulkan-dev mesa-vulkan-drivers vulkan-tools libze1 libze-dev \
  python3 python3-pytest hwloc-nox

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
