import Foundation

/// The processes a solve is spread over (docs/mpi.md). Each owns a contiguous block of every region's modes; the
/// solver only ever needs these collectives. The serial build uses `SerialCommunicator`, for which every one is the
/// identity, so the single-process path does exactly the arithmetic it did before distribution existed.
public protocol Communicator: AnyObject, Sendable {
    var rank: Int { get }
    var size: Int { get }
    /// Element-wise sum over all processes, in place (MPI_Allreduce).
    func sum(_ x: inout [Double])
    /// Every process's block laid end to end in rank order; `counts[r]` is the length of rank r's block.
    func allgather(_ mine: [Double], counts: [Int]) -> [Double]
    /// Rank 0's bytes on every process.
    func broadcast(_ bytes: [UInt8]) -> [UInt8]
    func barrier()
    /// Bytes this process has sent so far (for the scaling table).
    var bytesSent: Int { get }
}

extension Communicator {
    public func sum(_ x: Double) -> Double {
        if size == 1 { return x }
        var v = [x]; sum(&v); return v[0]
    }

    /// The contiguous block of `count` items this process owns: the first `count % size` ranks get one extra.
    public func block(of count: Int, rank r: Int? = nil) -> Range<Int> {
        let r = r ?? rank
        let base = count / size, extra = count % size
        let start = r * base + min(r, extra)
        return start..<(start + base + (r < extra ? 1 : 0))
    }

    public func broadcast(_ s: String) -> String {
        size == 1 ? s : String(decoding: broadcast(Array(s.utf8)), as: UTF8.self)
    }
}

public final class SerialCommunicator: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sum(_ x: inout [Double]) {}
    public func allgather(_ mine: [Double], counts: [Int]) -> [Double] { mine }
    public func broadcast(_ bytes: [UInt8]) -> [UInt8] { bytes }
    public func barrier() {}
    public var bytesSent: Int { 0 }
}
