import XCTest
@testable import Ingest

/// Inputs that crashed fuzz-gmsh, and counts no file could hold in the sections GmshReaderErrorTests leaves out:
/// each is refused on its own line, before anything of that size is reserved (docs/fuzzing.md).
final class GmshFuzzRegressionTests: XCTestCase {
    func testHugePhysicalNameCountIsRejectedBeforeAllocating() {
        let text = MeshFixtures.replacing(line: 5, in: MeshFixtures.cube22, with: "1000000000000")
        MeshFixtures.assertFails(
            text, kind: .tooLarge,
            contains: ["bad.msh:5:", "$PhysicalNames declares 1000000000000 physical names but only"])
    }

    func testHugeEntityCountIsRejectedBeforeAllocating() {
        let text = MeshFixtures.replacing(line: 11, in: MeshFixtures.cube41, with: "1 0 1000000000000 1")
        MeshFixtures.assertFails(
            text, kind: .tooLarge,
            contains: ["bad.msh:11:", "$Entities declares 1000000000000 surfaces but only"])
    }

    func testHugeNodeCountInAnEntityBlockIsRejectedBeforeAllocating() {
        let text = MeshFixtures.replacing(line: 19, in: MeshFixtures.cube41, with: "2 1 0 1000000000000")
        MeshFixtures.assertFails(
            text, kind: .tooLarge,
            contains: ["bad.msh:19:", "declares 1000000000000 nodes in the block of entity 1 but only"])
    }

    /// Found by make fuzz (fuzz-gmsh, 87 k executions): a point entity `1 3.06e-15 -7.5e-31 50 09223372036854775807`
    /// declaring Int.max physical tags overflowed `physAt + 1 + nPhys` and trapped.
    func testEntityWithIntMaxPhysicalTagsIsASyntaxError() {
        let text = MeshFixtures.replacing(line: 12, in: MeshFixtures.cube41, with: "1 0 0 0 9223372036854775807")
        MeshFixtures.assertFails(
            text, kind: .syntax,
            contains: ["bad.msh:12:", "entity 1 declares 9223372036854775807 physical tags, found 0 fields"])
    }

    /// The same overflow one count further along the line: the bounding entities of a surface.
    func testEntityWithIntMaxBoundingEntitiesIsASyntaxError() {
        let text = MeshFixtures.replacing(line: 13, in: MeshFixtures.cube41, with: "1 0 0 0 1 1 0 1 1 9223372036854775807")
        MeshFixtures.assertFails(
            text, kind: .syntax,
            contains: ["bad.msh:13:", "entity 1 declares 9223372036854775807 bounding entities, found 0"])
    }
}
