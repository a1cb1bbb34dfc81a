import CMPI
import Solve

/// `Communicator` over MPI_COMM_WORLD. Only the solver's main thread calls it (the sweeps' worker threads never
/// communicate), so MPI is initialised at the default thread level.
///
/// `bytesSent` counts what this process sends under bandwidth-optimal collectives (ring all-reduce: 2(P−1)/P of the
/// vector; all-gather: its own block to the P−1 others), the model docs/mpi.md tabulates.
final class MPICommunicator: Communicator, @unchecked Sendable {
    let rank: Int
    let size: Int
    private(set) var bytesSent = 0
    private(set) var collectives = 0
    /// Seconds spent inside collectives: the transfer plus waiting for the slowest process.
    private(set) var seconds = 0.0
    private let world = pbte_mpi_comm_world()

    init() {
        MPI_Init(nil, nil)
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(world, &r)
        MPI_Comm_size(world, &s)
        rank = Int(r); size = Int(s)
    }

    func finalize() { MPI_Finalize() }

    func abort(_ code: Int32) -> Never {
        MPI_Abort(world, code)
        fatalError("MPI_Abort returned")
    }

    func sum(_ x: inout [Double]) {
        guard size > 1, !x.isEmpty else { return }
        let n = x.count
        let t0 = MPI_Wtime()
        x.withUnsafeMutableBufferPointer { p in
            _ = MPI_Allreduce(pbte_mpi_in_place(), p.baseAddress, Int32(n), pbte_mpi_double(), pbte_mpi_sum(), world)
        }
        seconds += MPI_Wtime() - t0
        bytesSent += 2 * (size - 1) * 8 * n / size
        collectives += 1
    }

    func allgather(_ mine: [Double], counts: [Int]) -> [Double] {
        precondition(counts.count == size && counts[rank] == mine.count)
        var displacements = [Int32](), d = 0
        for c in counts { displacements.append(Int32(d)); d += c }
        let c32 = counts.map(Int32.init)
        var out = [Double](repeating: 0, count: d)
        let t0 = MPI_Wtime()
        defer { seconds += MPI_Wtime() - t0 }
        mine.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                _ = MPI_Allgatherv(
                    m.baseAddress, Int32(mine.count), pbte_mpi_double(), o.baseAddress, c32, displacements,
                    pbte_mpi_double(), world)
            }
        }
        bytesSent += (size - 1) * 8 * mine.count
        collectives += 1
        return out
    }

    func broadcast(_ bytes: [UInt8]) -> [UInt8] {
        var n = Int64(bytes.count)
        MPI_Bcast(&n, 1, pbte_mpi_long(), 0, world)
        var out = rank == 0 ? bytes : [UInt8](repeating: 0, count: Int(n))
        out.withUnsafeMutableBufferPointer { p in _ = MPI_Bcast(p.baseAddress, Int32(n), pbte_mpi_byte(), 0, world) }
        collectives += 2
        return out
    }

    func barrier() { MPI_Barrier(world) }
}
