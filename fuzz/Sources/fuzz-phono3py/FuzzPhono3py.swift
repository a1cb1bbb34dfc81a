import Foundation
import FuzzSupport
import Ingest
import Model
import Store

// Structure-aware: libFuzzer's bytes are not an HDF5 file (mutating one mostly exercises libhdf5's own parser,
// which is neither ours nor instrumented) but a description of one. A short header picks the reader and a valid
// baseline file for the Si crystal — a full Γ-centred mesh or its irreducible stars, 1–3 temperatures — and every
// further byte group edits it: drop a dataset, set one element or all of them to an edge value (NaN, ±∞, −0,
// huge, subnormal, Int64.max…), resize, add or drop a dimension, change the element type, turn it into a group
// or a scalar, set an attribute. The description is written with Store's HDF5 writer to one file in /dev/shm and
// read back with Phono3pyReader or CollisionHDF5Reader. Shapes whose element count exceeds `writeCap` are created
// but not written (HDF5 allocates them lazily), so a 4 KB file can declare a dataset of 2^40 elements.
//
// Header: flags (bit 0 collision reader, 1 irreducible baseline, 2 Fletcher32 checksums, 3–4 temperature option:
// none/index/value/both, 5 unfoldIrreducible = false, 6 no heat_capacity), mesh n1 n2 n3 ((b % 8) + 1; the collision
// baseline (b % 2) + 1), temperature count ((b % 3) + 1), temperature index (Int8), temperature value (< 200:
// 300 + 100·(b % 4) K, else an edge value). Then edits: op (b % 9), dataset (b % count), arguments.

let crystalHeader = """
            1        2        0      10.2630077329869653       0.0000000000000000       0.0000000000000000       0.0000000000000000       0.0000000000000000       0.0000000000000000
           0.0000000000000000       0.5000000000000000       0.5000000000000000
           0.5000000000000000       0.0000000000000000       0.5000000000000000
           0.5000000000000000       0.5000000000000000       0.0000000000000000
            1       'Si'   25598.3659386725012155
            1        1       0.0000000000000000       0.0000000000000000       0.0000000000000000
            2        1       0.2500000000000000       0.2500000000000000       0.2500000000000000
         F   FFF

    """
let crystal = try! CrystalHeaderReader.parse(contents: Array(crystalHeader.utf8), fileName: "crystal.si.txt")
let workDir = fuzzWorkDirectory("fuzz-phono3py")
let kappaPath = workDir + "/kappa-fuzz.hdf5"
/// Datasets with at most this many elements are written; larger ones are only declared.
let writeCap = 1 << 16
/// Declared element counts stop here (2^40 doubles = 8 TB): beyond it Store's own size arithmetic is the subject.
let declareCap = 1 << 40

enum ElementType: Int, CaseIterable { case float64, float32, int64, int32, uint8 }

struct DatasetSpec {
    var name: String
    enum Form { case dataset, group, absent }
    var form = Form.dataset
    var type = ElementType.float64
    var shape: [Int]
    var doubles: [Double]
    var ints: [Int64]
    var attributes: [String: AttributeValue] = [:]

    init(_ name: String, shape: [Int], doubles: [Double]) {
        self.name = name; self.shape = shape; self.doubles = doubles
        ints = doubles.map(DatasetSpec.clampedInt)
    }

    init(_ name: String, shape: [Int], ints: [Int64]) {
        self.name = name; self.shape = shape; self.ints = ints; type = .int64
        doubles = ints.map(Double.init)
    }

    var isInteger: Bool { type == .int64 || type == .int32 || type == .uint8 }
    var count: Int { elementCount(shape) ?? Int.max }

    static func clampedInt(_ x: Double) -> Int64 {
        guard x.isFinite else { return x.isNaN ? 0 : (x > 0 ? .max : .min) }
        if x >= 9.2e18 { return .max }
        if x <= -9.2e18 { return .min }
        return Int64(x)
    }

    mutating func set(_ i: Int, double x: Double) {
        guard i < doubles.count else { return }
        doubles[i] = x; ints[i] = Self.clampedInt(x)
    }

    mutating func set(_ i: Int, int x: Int64) {
        guard i < ints.count else { return }
        ints[i] = x; doubles[i] = Double(x)
    }

    /// A new shape: values cycle over the old ones (zeros when there were none) up to the write cap.
    mutating func reshape(_ s: [Int]) {
        guard let n = elementCount(s), n <= declareCap else { return }
        shape = s
        let keep = min(n, writeCap)
        func cycle<T>(_ v: [T], zero: T) -> [T] { (0..<keep).map { v.isEmpty ? zero : v[$0 % v.count] } }
        doubles = cycle(doubles, zero: 0); ints = cycle(ints, zero: 0)
    }
}

enum AttributeValue { case string(String), int(Int64), absent }

func elementCount(_ shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
        let (p, o) = n.multipliedReportingOverflow(by: d)
        if o { return nil }
        n = p
    }
    return n
}

/// The q-points of an n1×n2×n3 Γ-centred mesh in phono3py's order (first index fastest), reduced, in (−½, ½].
func meshPoints(_ m: [Int]) -> [[Double]] {
    var out: [[Double]] = []
    for k in 0..<m[2] {
        for j in 0..<m[1] {
            for i in 0..<m[0] {
                out.append(zip([i, j, k], m).map { a, n in Double(a >= (n + 1) / 2 && n > 1 ? a - n : a) / Double(n) })
            }
        }
    }
    return out
}

/// The 48 signed permutations of Cartesian axes: the point group of the cubic Si crystal (Oh).
let cubicOperations: [[[Double]]] = {
    var ops: [[[Double]]] = []
    for p in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
        for s in 0..<8 {
            ops.append((0..<3).map { r in (0..<3).map { c in c == p[r] ? ((s >> r) & 1 == 1 ? -1 : 1) : 0 } })
        }
    }
    return ops
}()

/// One representative per star of the mesh under the cubic group, with the star's size as its weight.
func irreducible(_ m: [Int]) -> (points: [Int], weights: [Int64]) {
    let pts = meshPoints(m)
    func address(_ r: [Double]) -> Int? {
        var a = [0, 0, 0]
        for d in 0..<3 {
            let x = r[d] * Double(m[d])
            guard abs(x - x.rounded()) < 1e-6 else { return nil }
            a[d] = ((Int(x.rounded()) % m[d]) + m[d]) % m[d]
        }
        return a[0] + m[0] * (a[1] + m[1] * a[2])
    }
    var taken = Set<Int>(), reps: [Int] = [], weights: [Int64] = []
    for (g, q) in pts.enumerated() where !taken.contains(g) {
        let qc = crystal.cartesian(reduced: q)
        var star: Set<Int> = [g]
        for op in cubicOperations {
            let k = (0..<3).map { r in op[r][0] * qc[0] + op[r][1] * qc[1] + op[r][2] * qc[2] }
            if let a = address(crystal.reduced(cartesian: k)) { star.insert(a) }
        }
        taken.formUnion(star); reps.append(g); weights.append(Int64(star.count))
    }
    return (reps, weights)
}

/// Plausible Si-like modes at reduced q: three acoustic branches linear in |q| (zero at Γ, where phono3py's γ is
/// 0 too) and three flat optical ones; velocities in THz·Å along q.
func baselineModes(_ q: [Double]) -> (freq: [Double], gamma: [Double], velocity: [Double]) {
    let qc = crystal.cartesian(reduced: q)
    let norm = (qc[0] * qc[0] + qc[1] * qc[1] + qc[2] * qc[2]).squareRoot()
    var f: [Double] = [], g: [Double] = [], v: [Double] = []
    for b in 0..<6 {
        let x = b < 3 ? 6.0 * (1 + 0.3 * Double(b)) * norm : 14.5 + 0.3 * Double(b)
        f.append(x)
        g.append(x > 1e-3 ? 0.005 + 0.002 * Double(b) : 0)
        let speed = b < 3 ? 40.0 + 15 * Double(b) : 5.0
        v += norm > 0 ? qc.map { speed * $0 / norm } : [0, 0, 0]
    }
    return (f, g, v)
}

func heatCapacityEV(_ thz: Double, _ t: Double) -> Double {
    thz > 0 ? BoseEinstein.heatCapacity(omega: thz * Constants.terahertzToRadPerSecond, temperature: t) / 1.602176634e-19 : 0
}

struct Decoded {
    var collision = false
    var checksum = false
    var options = Phono3pyReader.Options()
    var datasets: [DatasetSpec] = []
    var rootAttributes: [String: AttributeValue] = [:]
}

func decode(_ bytes: [UInt8]) -> Decoded {
    var s = FuzzByteStream(bytes)
    var d = Decoded()
    let flags = s.byte()
    d.collision = flags & 1 != 0
    d.checksum = flags & 4 != 0
    let irr = flags & 2 != 0
    let mesh = (0..<3).map { _ in Int(s.byte()) % (d.collision ? 2 : 8) + 1 }
    let nT = Int(s.byte()) % 3 + 1
    let temps = (0..<nT).map { 300 + 100 * Double($0) }
    let tIndex = Int(Int8(bitPattern: s.byte()))
    let tCode = s.byte()
    let tValue = tCode < 200 ? 300 + 100 * Double(tCode % 4) : specialDoubles[Int(tCode) % specialDoubles.count]
    let tMode = (flags >> 3) & 3
    d.options = .init(
        temperatureIndex: tMode & 1 != 0 ? tIndex : nil, temperature: tMode & 2 != 0 ? tValue : nil,
        unfoldIrreducible: flags & 32 == 0)

    let all = meshPoints(mesh)
    let (reps, weights): ([Int], [Int64]) = irr && !d.collision ? irreducible(mesh) : (Array(all.indices), all.map { _ in 1 })
    let q = reps.map { all[$0] }, nq = q.count
    let modes = q.map(baselineModes)
    let freq = modes.flatMap(\.freq), gamma = modes.flatMap(\.gamma), gv = modes.flatMap(\.velocity)
    if d.collision {
        let n = nq * 6
        var a = [Double](repeating: 0, count: n * n)
        for i in 3..<n { for j in 3..<n { a[i * n + j] = i == j ? 0.05 + 0.001 * Double(i) : -0.0005 } }
        var ad = DatasetSpec("A", shape: [n, n], doubles: a)
        ad.attributes["unit"] = .string("ps^-1")
        d.datasets = [
            ad, DatasetSpec("zero_modes", shape: [3], ints: [0, 1, 2]),
            DatasetSpec("temperature", shape: [1], doubles: [300]),
            DatasetSpec("frequency", shape: [nq, 6], doubles: freq)
        ]
        d.rootAttributes = ["basis": .string("psi"), "quantity": .string("collision_operator_A")]
    } else {
        let gammaT = (0..<nT).flatMap { _ in gamma }
        let cv = temps.flatMap { t in freq.map { heatCapacityEV($0, t) } }
        d.datasets = [
            DatasetSpec("frequency", shape: [nq, 6], doubles: freq),
            DatasetSpec("gamma", shape: [nT, nq, 6], doubles: gammaT),
            DatasetSpec("group_velocity", shape: [nq, 6, 3], doubles: gv),
            DatasetSpec("qpoint", shape: [nq, 3], doubles: q.flatMap { $0 }),
            DatasetSpec("weight", shape: [nq], ints: weights),
            DatasetSpec("mesh", shape: [3], ints: mesh.map(Int64.init)),
            DatasetSpec("temperature", shape: [nT], doubles: temps),
            DatasetSpec("heat_capacity", shape: [nT, nq, 6], doubles: cv)
        ]
        if flags & 64 != 0 { d.datasets[7].form = .absent }
    }

    let attributeNames = ["basis", "quantity", "unit"]
    let attributeValues: [AttributeValue] = [
        .absent, .string("psi"), .string("phi"), .string(""), .string("collision_operator_A"),
        .string("scattering_matrix_M"), .string("ps^-1"), .string("ps-1"), .string("1/ps"), .string("s^-1"),
        .string("s-1"), .string("1/s"), .string("THz"), .int(1), .string("PSI")
    ]
    var edits = 0
    while !s.atEnd && edits < 64 {
        edits += 1
        let op = Int(s.byte()) % 9
        let k = Int(s.byte()) % d.datasets.count
        var ds = d.datasets[k]
        switch op {
        case 0: ds.form = .absent
        case 1:
            let i = s.u16()
            if ds.isInteger { ds.set(i % max(ds.ints.count, 1), int: s.integer()) } else { ds.set(i % max(ds.doubles.count, 1), double: s.double()) }
        case 2:
            var shape = ds.shape
            if !shape.isEmpty { shape[Int(s.byte()) % shape.count] = decodeExtent(&s) }
            ds.reshape(shape)
        case 3:
            var shape = ds.shape
            if s.byte() & 1 == 0 { shape.append(decodeExtent(&s)) } else if !shape.isEmpty { shape.removeLast() }
            ds.reshape(shape)
        case 4: ds.type = ElementType(rawValue: Int(s.byte()) % ElementType.allCases.count)!
        case 5:
            switch s.byte() % 3 {
            case 0: ds.form = .dataset
            case 1: ds.form = .group
            default: ds.form = .dataset; ds.reshape([])
            }
        case 6:
            if ds.isInteger {
                let x = s.integer(); for i in ds.ints.indices { ds.set(i, int: x) }
            } else {
                let x = s.double(); for i in ds.doubles.indices { ds.set(i, double: x) }
            }
        case 7:
            let f = s.double()
            for i in ds.doubles.indices { ds.set(i, double: ds.doubles[i] * f) }
        default:
            let name = attributeNames[Int(s.byte()) % attributeNames.count]
            let value = attributeValues[Int(s.byte()) % attributeValues.count]
            if name == "unit" { ds.attributes[name] = value } else { d.rootAttributes[name] = value }
        }
        d.datasets[k] = ds
    }
    return d
}

/// An extent: small counts for most codes (where the shape checks are), large ones for the rest.
func decodeExtent(_ s: inout FuzzByteStream) -> Int {
    let c = Int(s.byte())
    let large = [1 << 20, 1 << 24, 1 << 30, 1 << 32, 1 << 40, 3 << 20, 1_000_003, 100_000, 20_001, 65_537]
    return c < 192 ? c % 24 : large[c % large.count]
}

func setAttribute(_ o: HDF5Object, _ name: String, _ v: AttributeValue) throws {
    switch v {
    case .string(let t): try o.setAttribute(name, t)
    case .int(let i): try o.setAttribute(name, i)
    case .absent: break
    }
}

/// Writes the description; false when Store refuses it (then there is nothing to read).
func write(_ d: Decoded) -> Bool {
    do {
        let f = try HDF5File.create(kappaPath, overwrite: true)
        defer { try? f.close() }
        for (name, v) in d.rootAttributes { try setAttribute(f, name, v) }
        for ds in d.datasets {
            switch ds.form {
            case .absent: continue
            case .group:
                let g = try f.createGroup(ds.name)
                for (name, v) in ds.attributes { try setAttribute(g, name, v) }
                continue
            case .dataset: break
            }
            let options = HDF5DatasetOptions(checksum: d.checksum)
            let written = ds.count <= writeCap
            func make<T: HDF5Scalar>(_ values: [T]) throws -> HDF5Dataset {
                let h = try f.createDataset(ds.name, of: T.self, shape: ds.shape, options: options)
                if written { try h.write(Array(values.prefix(ds.count))) }
                return h
            }
            let h: HDF5Dataset
            switch ds.type {
            case .float64: h = try make(ds.doubles)
            case .float32: h = try make(ds.doubles.map { Float($0) })
            case .int64: h = try make(ds.ints)
            case .int32: h = try make(ds.ints.map { Int32(clamping: $0) })
            case .uint8: h = try make(ds.ints.map { UInt8(clamping: $0) })
            }
            for (name, v) in ds.attributes { try setAttribute(h, name, v) }
            h.close()
        }
        try f.close()
        return true
    } catch {
        return false
    }
}

/// What an integer dataset holds once written: the values clamped to its type; fill zeros when only declared.
func storedIntegers(_ d: Decoded, _ name: String) -> [Int64]? {
    guard let ds = d.datasets.first(where: { $0.name == name }), ds.form == .dataset else { return nil }
    if ds.count > writeCap { return [Int64](repeating: 0, count: min(ds.count, 3)) }
    let v = Array(ds.ints.prefix(ds.count))
    switch ds.type {
    case .int64: return v
    case .int32: return v.map { Int64(Int32(clamping: $0)) }
    case .uint8: return v.map { Int64(UInt8(clamping: $0)) }
    case .float64, .float32: return nil
    }
}

/// The one input class left unread on purpose: a collision `A` declared larger than 2^22 entries. The reader takes
/// any extent up to its documented 20000² and reads what the file declares (an unwritten dataset reads as fill
/// values), which is right for a real file and beyond libFuzzer's memory limit for a forged one. The findings that
/// this list used to hold (fuzz/findings/phono3py/) are fixed and replayed by Phono3pyFuzzRegressionTests.
func beyondFuzzMemory(_ d: Decoded) -> Bool {
    d.collision && d.datasets.contains { $0.form == .dataset && $0.name == "A" && $0.count > 1 << 22 }
}

/// The decoded file, for FUZZ_VERBOSE=1 (what a finding's bytes stand for).
func describe(_ d: Decoded) {
    print(
        d.collision ? "collision file" : "kappa file, options \(d.options)", d.checksum ? "(Fletcher32)" : "",
        d.rootAttributes.isEmpty ? "" : "root attributes \(d.rootAttributes)")
    for ds in d.datasets {
        guard ds.form == .dataset else { print("  \(ds.name): \(ds.form)"); continue }
        let n = min(ds.count, 8)
        let values = ds.isInteger ? "\(storedIntegers(d, ds.name)!.prefix(n))" : "\(ds.doubles.prefix(n))"
        print(
            "  \(ds.name): \(ds.type) \(ds.shape)\(ds.count > writeCap ? " (declared, not written)" : ""): \(values)\(ds.count > n ? " …" : "")",
            ds.attributes.isEmpty ? "" : "attributes \(ds.attributes)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPhono3py(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let d = decode(fuzzBytes(data, size))
    if fuzzVerbose { describe(d) }
    if beyondFuzzMemory(d) {
        if fuzzVerbose { print("A declared beyond the fuzzer's memory, not read") }
        return 0
    }
    guard write(d) else { return 0 }
    expectCleanRejection(naming: kappaPath) {
        if d.collision {
            _ = try CollisionHDF5Reader.read(kappaPath)
        } else {
            _ = try Phono3pyReader.read(kappaPath, crystal: crystal, options: d.options)
        }
    }
    return 0
}

@main enum FuzzPhono3pyMain {
    static func main() {
        _ = kappaPath
        let rc = runLibFuzzer(fuzzPhono3py)
        exit(rc)
    }
}
