import Foundation
import COpenBLAS

// Reductions over modes that add the same numbers in the same order for any number of processes (docs/mpi.md).
// Modes are grouped in fixed chunks of `Transport.chunk`; a process owns whole chunks. Each chunk's partial sum is
// computed where the chunk lives, the partials are gathered, and every process adds them in chunk order. So an MPI
// solve reproduces the serial one bit for bit, and the serial solve is simply the one-process case.

extension Communicator {
    /// Every process's pieces of each segment, each segment's pieces laid end to end in rank order, in one
    /// all-gather. `counts[s][r]` is the length of rank r's piece of segment s.
    func gatherSegments(_ mine: [[Double]], counts: [[Int]]) -> [[Double]] {
        if size == 1 { return mine }
        let perRank = (0..<size).map { r in counts.reduce(0) { $0 + $1[r] } }
        let all = allgather(mine.flatMap { $0 }, counts: perRank)
        var rankStart = [Int](), o = 0
        for n in perRank { rankStart.append(o); o += n }
        var out = [[Double]]()
        for s in counts.indices {
            var seg = [Double]()
            for r in 0..<size {
                let before = counts[..<s].reduce(0) { $0 + $1[r] }
                seg += all[(rankStart[r] + before)..<(rankStart[r] + before + counts[s][r])]
            }
            out.append(seg)
        }
        return out
    }
}

extension Transport {
    /// Modes per reduction chunk.
    static let chunk = 32
    var chunkCount: Int { (modeCount + Self.chunk - 1) / Self.chunk }

    /// The modes a process owns: whole chunks, so that sums do not depend on the process count.
    static func modeBlock(modes: Int, comm: Communicator, rank: Int) -> Range<Int> {
        let chunks = comm.block(of: (modes + chunk - 1) / chunk, rank: rank)
        return min(chunks.lowerBound * chunk, modes)..<min(chunks.upperBound * chunk, modes)
    }

    public func ownedModes(rank: Int) -> Range<Int> { Self.modeBlock(modes: modeCount, comm: comm, rank: rank) }

    /// The owned chunks' mode ranges, in order.
    var ownedChunks: [Range<Int>] {
        stride(from: owned.lowerBound, to: owned.upperBound, by: Self.chunk).map { $0..<min($0 + Self.chunk, owned.upperBound) }
    }

    /// How many chunks each process owns, times `width`.
    func chunkCounts(width: Int) -> [Int] {
        (0..<comm.size).map { comm.block(of: chunkCount, rank: $0).count * width }
    }

    /// Σ over all modes of per-mode contributions: `fill(modes, &partial)` adds a chunk's modes into `partial`
    /// (`width` numbers); chunks are then added in order.
    func orderedTotal(width: Int, _ fill: (Range<Int>, inout [Double]) -> Void) -> [Double] {
        let parts = partials(width: width, fill)
        return addChunks(comm.gatherSegments([parts], counts: [chunkCounts(width: width)])[0], width: width)
    }

    func partials(width: Int, _ fill: (Range<Int>, inout [Double]) -> Void) -> [Double] {
        var parts = [Double]()
        for c in ownedChunks {
            var p = [Double](repeating: 0, count: width)
            fill(c, &p)
            parts += p
        }
        return parts
    }

    func addChunks(_ all: [Double], width: Int) -> [Double] {
        var total = [Double](repeating: 0, count: width)
        for c in 0..<(all.count / max(width, 1)) { for k in 0..<width { total[k] += all[c * width + k] } }
        return total
    }

    /// Equivalent-equilibrium ΔT = Σ ρħω ψ / Σ ρC at every node (ModeSet.temperature, node by node, summed over
    /// every process's chunks).
    public func nodeTemperature(_ psi: [Double]) -> [Double] {
        let c = modes.volumetricHeatCapacity
        return modeSum(psi, weights: modes.energyWeights).map { $0 / c }
    }

    func nodeTemperature(view psi: UnsafeBufferPointer<Double>) -> [Double] {
        precondition(psi.count == volumeSize)
        let c = modes.volumetricHeatCapacity
        return modeSum(at: psi.baseAddress!, weights: modes.energyWeights).map { $0 / c }
    }

    /// Σ_μ w_μ ψ_μ at every node (ψ this process's rows, w over all modes).
    public func modeSum(_ psi: [Double], weights w: [Double]) -> [Double] {
        precondition(psi.count == volumeSize)
        return psi.withUnsafeBufferPointer { modeSum(at: $0.baseAddress!, weights: w) }
    }

    /// The same on this region's rows wherever they lie (a part of a system vector).
    func modeSum(at psi: UnsafePointer<Double>, weights w: [Double]) -> [Double] {
        let nn = nodeCount, lo = owned.lowerBound
        return orderedTotal(width: nn) { modes, p in
            w.withUnsafeBufferPointer { ww in
                p.withUnsafeMutableBufferPointer { pp in
                    cblas_dgemv(
                        CblasRowMajor, CblasTrans, Int32(modes.count), Int32(nn), 1, psi + (modes.lowerBound - lo) * nn,
                        Int32(nn), ww.baseAddress! + modes.lowerBound, 1, 0, pp.baseAddress, 1)
                }
            }
        }
    }
}

extension TransportSystem {
    /// Dot product of two system vectors laid out as volume, boundary, or volume followed by boundary (the Krylov
    /// vectors), summed chunk by chunk in a fixed order.
    public func dot(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        // Every owned chunk of every region and part (volume, boundary) is one task; the tasks run on all cores and
        // each writes its own slot, so the partials, and their sum in chunk order, do not depend on the threads.
        struct Task { var from: Int; var count: Int; var slot: Int }
        var tasks: [Task] = [], counts = [[Int]](), segmentStart = [Int]()
        var o = 0, slots = 0
        let withVolume = a.count == volumeSize || a.count == volumeSize + boundarySize
        let withBoundary = a.count != volumeSize
        for (volume, on) in [(true, withVolume), (false, withBoundary)] where on {
            for t in regions {
                let width = volume ? t.nodeCount : 3 * t.boundaryFaceCount
                segmentStart.append(slots)
                for c in t.ownedChunks {
                    tasks.append(Task(from: o + (c.lowerBound - t.owned.lowerBound) * width, count: c.count * width, slot: slots))
                    slots += 1
                }
                counts.append(t.chunkCounts(width: 1))
                o += t.owned.count * width
            }
        }
        precondition(o == a.count, "not a system vector")
        var partial = [Double](repeating: 0, count: slots)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                partial.withUnsafeMutableBufferPointer { pp in
                    let out = SharedPointer(base: pp.baseAddress!)
                    let x = SharedPointer(base: UnsafeMutablePointer(mutating: pa.baseAddress!))
                    let y = SharedPointer(base: UnsafeMutablePointer(mutating: pb.baseAddress!))
                    let list = tasks
                    DispatchQueue.concurrentPerform(iterations: list.count) { k in
                        let task = list[k]
                        out.base[task.slot] = orderedDot(x.base + task.from, y.base + task.from, task.count)
                    }
                }
            }
        }
        let parts = segmentStart.indices.map { s in
            Array(partial[segmentStart[s]..<(s + 1 < segmentStart.count ? segmentStart[s + 1] : slots)])
        }
        var sum = 0.0
        for seg in comm.gatherSegments(parts, counts: counts) { for x in seg { sum += x } }
        return sum
    }

    /// ‖x‖₂ of a system vector.
    public func norm2(_ x: [Double]) -> Double { dot(x, x).squareRoot() }
}

/// Σ a_i b_i over n entries in a fixed order that does not depend on where the entries start: four independent
/// running sums (lane k takes i ≡ k mod 4), added pairwise at the end, then the tail. One running sum is one
/// dependent add per entry; these are the Krylov solver's inner products over millions of entries, and the fixed
/// order keeps a chunk's partial the same for any process count.
@inline(__always) func orderedDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var i = 0
    while i + 4 <= n {
        s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
        i += 4
    }
    var s = (s0 + s1) + (s2 + s3)
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}
