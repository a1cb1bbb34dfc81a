# pbte-pipeline: `make demo` installs what is missing and runs the sample pipeline; `make test` runs the tests.
SHELL := /bin/bash
SWIFT ?= swift
VENV := .venv
PY := $(VENV)/bin/python
PY3 := python3
RELEASE_DIR := .build-release
BIN := $(RELEASE_DIR)/release/pbte-pipeline
DEB_PACKAGES := libhdf5-dev libnetcdf-dev libopenblas-dev pkg-config hdf5-tools netcdf-bin gmsh
PKGCONFIG_NAMES := hdf5-serial netcdf openblas

.PHONY: all deps venv build test demo bench clean schema fuzz deps-mpi build-mpi test-mpi format lint

all: build

# Debian packages: installed with apt-get when running as root, otherwise the exact command is printed.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || exit 1; \
	  else \
	    echo "missing Debian packages:$$missing"; echo "run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
	@for n in $(PKGCONFIG_NAMES); do pkg-config --exists $$n || { echo "pkg-config cannot find $$n"; exit 1; }; done

venv: $(VENV)/.stamp
$(VENV)/.stamp: tests/python/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r tests/python/requirements.txt
	touch $@

build: deps
	$(SWIFT) build -c release --scratch-path $(RELEASE_DIR)

$(BIN): deps $(shell find Sources -name '*.swift' -o -name '*.h' -o -name '*.modulemap') Package.swift
	$(SWIFT) build -c release --scratch-path $(RELEASE_DIR)
	@touch $(BIN)

test: deps venv
	PBTE_PYTHON=$(abspath $(PY)) $(SWIFT) test -c release --disable-swift-testing

demo: deps venv $(BIN)
	$(MAKE) -C pipelines/si-nanoparticle PBTE=$(abspath $(BIN)) PY=$(abspath $(PY))

# The bench keeps its report beside the build and compares it with the stored table of docs/performance.md
# (exit 3 when a figure regressed beyond its noise); BENCH_OPTIONS=--quick for the one-minute set.
BENCH_BIN := $(RELEASE_DIR)/release/pbte-bench
BENCH_REFERENCE ?= docs/bench/reference$(if $(findstring --quick,$(BENCH_OPTIONS)),-quick,).json
bench: deps $(BIN)
	$(SWIFT) build -c release --scratch-path $(RELEASE_DIR) --product pbte-bench
	$(BENCH_BIN) $(BENCH_OPTIONS) --json $(RELEASE_DIR)/bench-latest.json $(if $(wildcard $(BENCH_REFERENCE)),--compare $(BENCH_REFERENCE),)

# libFuzzer on every text parser, FUZZ_SECONDS each, on a copy of fuzz/corpus (docs/fuzzing.md); not part of `test`.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= d3q-grid crystal-header scattering-text gmsh run-config phono3py analyze-options config-run
fuzz: deps
	bash fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Source layout (.swift-format: 4 spaces, 160 columns, the rules this code base keeps); CI runs `make lint`.
FORMATTED := Sources Tests fuzz/Sources
format:
	$(SWIFT) format format --configuration .swift-format -i -r $(FORMATTED)
# …and the import graph: each module imports exactly what Package.swift declares, as CONTRIBUTING.md states it.
lint:
	$(SWIFT) format lint --configuration .swift-format --strict -r $(FORMATTED)
	$(PY3) tools/check_imports.py

schema: $(BIN)
	$(BIN) schema --json > data-schema/schema.json
	$(BIN) schema --markdown > .schema-tables.md
	$(PY3) tools/splice_tables.py data-schema/files.md .schema-tables.md && rm -f .schema-tables.md

# The opt-in MPI build (docs/mpi.md): a solve-only pbte-solve-mpi on Open MPI and parallel HDF5. Nothing above
# needs these packages; `PBTE_MPI=1` switches Package.swift to the MPI package, built into its own scratch path.
MPI_DIR := .build-mpi
MPI_BIN := $(MPI_DIR)/release/pbte-solve-mpi
MPI_DEB_PACKAGES := openmpi-bin libopenmpi-dev libhdf5-openmpi-dev
MPI_PKGCONFIG_NAMES := ompi-c hdf5-openmpi

deps-mpi:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(MPI_DEB_PACKAGES)" PKGCONFIG_NAMES="$(MPI_PKGCONFIG_NAMES)"

$(MPI_BIN): $(shell find Sources -name '*.swift' -o -name '*.h' -o -name '*.modulemap') Package.swift
	@$(MAKE) --no-print-directory deps-mpi
	PBTE_MPI=1 $(SWIFT) build -c release --scratch-path $(MPI_DIR) --product pbte-solve-mpi
	@# One process must never load the serial and the parallel libhdf5 (same symbols): refuse such a binary.
	@if ldd $@ | grep -E 'libhdf5_serial|libnetcdf'; then echo "$@ links serial HDF5 or NetCDF"; rm -f $@; exit 1; fi
	@touch $@

build-mpi: $(MPI_BIN)

# Serial vs mpirun -np 1, 2, 4 on a coarse Si nanoparticle (RTA, 8³ q-mesh) and a dense-M case (4³ q-mesh);
# every dataset must agree to 1e-12 relative. Also writes the scaling table of docs/mpi.md.
test-mpi: deps venv $(BIN) $(MPI_BIN)
	PBTE=$(abspath $(BIN)) PBTE_MPI_BIN=$(abspath $(MPI_BIN)) PY=$(abspath $(PY)) tests/mpi/test-mpi.sh

clean:
	rm -rf .build $(RELEASE_DIR) $(MPI_DIR) .build-fuzz out
