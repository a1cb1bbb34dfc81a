import Foundation
import Solve
import Config

/// pbte-solve-mpi RUN.toml -o RUN.h5 [--restart] [--quiet]: `pbte-pipeline solve` spread over the processes of an
/// MPI job (mpirun -np P); each owns a block of every region's modes. The run file is the serial solve's, written
/// collectively through parallel HDF5. Ingest, analyze and everything NetCDF stay in the serial pbte-pipeline.
@main
enum SolveMPI {
    static func main() {
        let comm = MPICommunicator()
        var args = Array(CommandLine.arguments.dropFirst())
        func fail(_ message: String) -> Never {
            if comm.rank == 0 { FileHandle.standardError.write(Data("pbte-solve-mpi: \(message)\n".utf8)) }
            comm.abort(1)
        }
        func flag(_ name: String) -> Bool {
            guard let i = args.firstIndex(of: name) else { return false }
            args.remove(at: i); return true
        }
        var output: String?
        if let i = args.firstIndex(where: { $0 == "-o" || $0 == "--output" }), i + 1 < args.count {
            output = args[i + 1]; args.removeSubrange(i...(i + 1))
        }
        let restart = flag("--restart"), quiet = flag("--quiet")
        guard let output, args.count == 1 else {
            fail("usage: mpirun -np P pbte-solve-mpi RUN.toml -o RUN.h5 [--restart] [--quiet]")
        }
        let loud = comm.rank == 0 && !quiet
        func say(_ s: String) { if loud { FileHandle.standardError.write(Data("  \(s)\n".utf8)) } }

        // Time and traffic per event for docs/mpi.md: the solver reports each event as it finishes.
        var marks: [(date: Date, bytes: Int, wait: Double)] = []
        let start = Date()
        do {
            let cfg = try RunConfig.load(path: args[0])
            say("MPI: \(comm.size) processes")
            let report = try SolveStage.run(config: cfg, output: output, resume: !restart, comm: comm) { line in
                if line.hasPrefix("event ") { marks.append((Date(), comm.bytesSent, comm.seconds)) }
                say(line)
            }
            comm.barrier()
            if comm.rank == 0 {
                say(
                    String(
                        format: "solved: %d events, %d sweeps, %.1f s, converged: %@, max balance error %.1e",
                        report.events, report.sweeps, report.seconds, report.converged ? "yes" : "no", report.maxClosure))
                // One line for the scaling table: mean s/event and bytes sent per event by rank 0 over events 1...
                // (event 0 also carries the setup), then totals including the Krylov remainder.
                if marks.count >= 2 {
                    let n = Double(marks.count - 1)
                    let per = marks.last!.date.timeIntervalSince(marks[0].date) / n
                    let bytes = Double(marks.last!.bytes - marks[0].bytes) / n
                    let wait = (marks.last!.wait - marks[0].wait) / n
                    FileHandle.standardError.write(
                        Data(
                            String(
                                format:
                                    "scaling: ranks %d  events %d  s/event %.3f  in-collectives s/event %.3f  bytes/event/rank %.0f  sweeps %d  total %.1f s  writing %.1f s  bytes/rank %d  collectives %d\n",
                                comm.size, report.events, per, wait, bytes, report.sweeps, Date().timeIntervalSince(start), report.writeSeconds,
                                comm.bytesSent, comm.collectives
                            ).utf8))
                }
                print(output)
            }
        } catch {
            fail("\(error)")
        }
        comm.finalize()
    }
}
