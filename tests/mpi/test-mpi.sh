#!/usr/bin/env bash
# make test-mpi: the MPI solve (pbte-solve-mpi) against the serial one (pbte-pipeline solve) on small runs, with
# mpirun -np 1, 2 and 4 (oversubscribed on small machines). Every dataset and attribute of the run files must agree
# (tools/compare_runs.py, 1e-12 relative element by element; in practice they agree bit for bit). The sphere runs'
# timings and traffic go to out/mpi-test/scaling.txt (docs/mpi.md).
# Needs: PBTE (serial pbte-pipeline), PBTE_MPI_BIN (pbte-solve-mpi), PY (python with h5py, numpy).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/out/mpi-test
DATA=$ROOT/data
mkdir -p "$OUT"
cd "$OUT"

MPIRUN=(mpirun)
if [ "$(id -u)" = 0 ]; then MPIRUN+=(--allow-run-as-root); fi
# Open MPI counts cores, not hardware threads; --oversubscribe lets 4 ranks share 2 cores. Each process runs
# worker threads for its sweeps, so processes are not pinned to one core each.
MPIRUN+=(--oversubscribe --bind-to none)

echo "== inputs (serial pbte-pipeline ingest)"
[ -f si.h5 ] || "$PBTE" ingest phono3py "$DATA/si/kappa-m888.hdf5" --crystal "$DATA/si/crystal.si.txt" -o si.h5 >/dev/null 2>&1
[ -f si444.h5 ] || "$PBTE" ingest phono3py "$DATA/si/kappa-m444.hdf5" --crystal "$DATA/si/crystal.si.txt" \
  --collision "$DATA/si/collision-m444.h5" -o si444.h5 >/dev/null 2>&1
[ -f ge.h5 ] || "$PBTE" ingest phono3py "$DATA/ge/kappa-m888.hdf5" --crystal "$DATA/ge/crystal.ge.txt" -o ge.h5 >/dev/null 2>&1
[ -f sphere.h5 ] || "$PBTE" ingest sphere -o sphere.h5 --radius "100 nm" --mesh-size "40 nm" >/dev/null 2>&1
[ -f bilayer.h5 ] || "$PBTE" ingest heterostructure -o bilayer.h5 --cells 1 1 8 --lengths "100 100 1000 nm" --split "500 nm" \
  --regions si,ge >/dev/null 2>&1

# The cases: RTA sphere with a black surface and a GMRES remainder (the nanoparticle run), the same with a diffuse
# surface (wall re-emission mixes modes across processes), dense M (4³ q-mesh with the full collision matrix), and
# the Si/Ge bilayer (two regions, DMM interface, periodic and hot/cold walls).
cp "$HERE/sphere.toml" sphere.toml
sed -e 's/kind = "black"/kind = "diffuse"/' -e 's/counting = "bulk-only"/counting = "bulk-and-boundary"/' \
    -e 's/accelerate = true/accelerate = false/' "$HERE/sphere.toml" > diffuse.toml
sed -e 's/"si.h5"/"si444.h5"/' -e 's/max_events = 5/max_events = 4/' "$HERE/sphere.toml" > dense.toml
sed -e 's#out/##' -e 's/max_events = 10/max_events = 6\naccelerate = false/' "$ROOT/pipelines/sige-interface/dmm.toml" > sige.toml

status=0
: > scaling.txt
for case in sphere diffuse dense sige; do
  echo "== $case"
  "$PBTE" solve $case.toml -o $case.serial.h5 --restart --quiet >/dev/null
  for np in 1 2 4; do
    if [ $np = 1 ] && [ $case != sphere ]; then continue; fi
    "${MPIRUN[@]}" -np $np "$PBTE_MPI_BIN" $case.toml -o $case.np$np.h5 --restart --quiet 2> $case.np$np.log >/dev/null \
      || { cat $case.np$np.log; status=1; continue; }
    if [ $case = sphere ]; then grep '^scaling:' $case.np$np.log >> scaling.txt || true; fi
    "$PY" "$ROOT/tools/compare_runs.py" $case.serial.h5 $case.np$np.h5 --rtol 1e-12 || status=1
  done
done
echo "== scaling (sphere)"
cat scaling.txt
if [ $status = 0 ]; then echo "test-mpi: all MPI runs match the serial runs"; else echo "test-mpi: FAILED"; fi
exit $status
