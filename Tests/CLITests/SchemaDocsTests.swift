import XCTest
import Foundation

/// data-schema/ documents exactly what the program writes and validates: the JSON and the markdown tables are
/// regenerated here from the program and compared with the committed files.
final class SchemaDocsTests: XCTestCase {
    func testSchemaJSONAndTablesMatchTheProgram() throws {
        let root = CLI.repositoryRoot
        let json = try CLI.run(["schema", "--json"], in: root)
        XCTAssertEqual(json.status, 0)
        let committed = try String(contentsOfFile: root + "/data-schema/schema.json", encoding: .utf8)
        XCTAssertEqual(json.stdout, committed, "data-schema/schema.json is stale: run `make schema`")
        let md = try CLI.run(["schema", "--markdown"], in: root)
        let page = try String(contentsOfFile: root + "/data-schema/files.md", encoding: .utf8)
        XCTAssertTrue(page.contains(md.stdout), "data-schema/files.md tables are stale: run `make schema`")
    }
}
