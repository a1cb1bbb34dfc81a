"""The import graph is the manifest: every module imports exactly what Package.swift declares for it, and the
architecture table of CONTRIBUTING.md ("may import") says the same. Run by `make lint` (and so by CI).

    python3 tools/check_imports.py [ROOT]
"""
import pathlib
import re
import sys

# Modules of the toolchain and the system that need no declaration.
SYSTEM = {"Foundation", "Dispatch", "Glibc", "Darwin", "XCTest", "PackageDescription"}
# Product names as Swift modules.
PRODUCTS = {"ArgumentParser": "ArgumentParser"}


def declared(manifest: str):
    """Target name → declared dependencies, for the default (non-MPI) graph and the MPI one."""
    graphs = {}
    for section, body in re.findall(r"let (libraries|executables|mpiTargets|cLibraries): \[Target\] = \[(.*?)\n\]", manifest, re.S):
        for m in re.finditer(r'\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(.*?)(?=\n\s*\.(?:target|executableTarget|systemLibrary|testTarget)\(|\Z)', body, re.S):
            name, rest = m.group(1), m.group(2)
            deps = set()
            d = re.search(r"dependencies:\s*\[(.*?)\]\s*[,)]", rest, re.S)
            if d:
                text = d.group(1)
                deps |= {PRODUCTS.get(p, p) for p in re.findall(r'\.product\(name:\s*"([^"]+)"', text)}
                deps |= set(re.findall(r'"([^"]+)"', re.sub(r"\.product\([^)]*\)", "", text)))
            graphs.setdefault("mpi" if section == "mpiTargets" else "default", {})[name] = deps
    return graphs


def imports(folder: pathlib.Path, excluded=()):
    found = set()
    for f in folder.rglob("*.swift"):
        if f.name in excluded:
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*(?:@testable\s+|@_exported\s+)?import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?(\w+)", line)
            if m:
                found.add(m.group(1))
    return found - SYSTEM


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    manifest = (root / "Package.swift").read_text(encoding="utf-8")
    graphs = declared(manifest)
    bad = []
    for name, deps in graphs["default"].items():
        folder = root / "Sources" / name
        if not any(folder.rglob("*.swift")):
            continue  # a system library: a module map, no Swift
        used = imports(folder)
        if used - deps:
            bad.append(f"{name}: imports {sorted(used - deps)} that Package.swift does not declare")
        if deps - used:
            bad.append(f"{name}: Package.swift declares {sorted(deps - used)} that no file imports")
    # The MPI build compiles Store without its NetCDF files: its Store must not need CNetCDF.
    mpi = graphs.get("mpi", {})
    excluded = re.search(r'exclude:\s*\[(.*?)\]', manifest, re.S)
    skip = set(re.findall(r'"([^"]+)"', excluded.group(1))) if excluded else set()
    for name, deps in mpi.items():
        folder = root / "Sources" / name
        if not any(folder.rglob("*.swift")):
            continue
        used = imports(folder, skip if name == "Store" else ())
        if used - deps:
            bad.append(f"{name} (PBTE_MPI=1): imports {sorted(used - deps)} that the MPI graph does not declare")
    # The architecture page's table.
    table = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for row in re.findall(r"^\| `([^`]+)`[^|]*\|[^|]*\| ([^|]+) \|$", table, re.M):
        name, cell = row
        if name not in graphs["default"] or not any((root / "Sources" / name).rglob("*.swift")):
            continue
        stated = {w.strip() for w in cell.split(",")} - {"Foundation", "—", "all of the above"}
        want = graphs["default"][name]
        if name == "pbte-pipeline":
            continue  # "all of the above": checked against the manifest above
        if stated != want:
            bad.append(f"CONTRIBUTING.md: {name} may import {sorted(stated)}, Package.swift declares {sorted(want)}")
    for b in bad:
        print(b)
    if bad:
        return 1
    print(f"import graph: {len(graphs['default'])} modules match Package.swift and CONTRIBUTING.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
